import type { DataPoint, MetricData, ResourceMetrics, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { mergePoint } from './merge-point';
import { streamKeys, type StreamKeys } from './stream-keys';

/** The result of {@link coalesce}: one batch holding both, plus whatever could not be merged. */
export interface Coalesced {
  merged: ResourceMetrics;
  /** Points of the newer batch that conflict with the older one (a cumulative reset, other buckets, another resource). */
  leftover?: ResourceMetrics;
}

type AnyMetric = MetricData & { dataPoints: DataPoint<unknown>[] };

/**
 * Merges a newer batch into an older one stream by stream (see mergePoint), so a queue waiting
 * on a dead destination holds one point per stream however long the outage lasts. Linear in
 * the points of both batches: metrics and points are matched through maps, each key computed
 * once per metric and per point. Neither input is modified.
 */
export function coalesce(older: ResourceMetrics, newer: ResourceMetrics, keys: StreamKeys = streamKeys): Coalesced {
  if (older.resource.attributes !== newer.resource.attributes
    && keys.attributesKey(older.resource.attributes) !== keys.attributesKey(newer.resource.attributes)) {
    return { merged: older, leftover: newer };
  }
  const scopes = new Map<string, { sm: ScopeMetrics; byKey: Map<string, number> | undefined }>();
  for (const sm of older.scopeMetrics) {
    const key = keys.scopeKey(sm);
    // A batch put together from split pieces may name one scope twice.
    const seen = scopes.get(key);
    if (seen) seen.sm.metrics.push(...sm.metrics);
    else scopes.set(key, { sm: { scope: sm.scope, metrics: [...sm.metrics] }, byKey: undefined });
  }
  const leftover: ScopeMetrics[] = [];
  for (const sm of newer.scopeMetrics) {
    const key = keys.scopeKey(sm);
    const target = scopes.get(key);
    if (!target) {
      scopes.set(key, { sm: { scope: sm.scope, metrics: [...sm.metrics] }, byKey: undefined });
      continue;
    }
    // Built once per scope, and only when the newer batch has the same scope.
    const byKey = target.byKey ??= indexMetrics(target.sm.metrics, keys);
    const rejected: MetricData[] = [];
    for (const metric of sm.metrics) {
      const mk = keys.metricKey(metric);
      const index = byKey.get(mk);
      if (index === undefined) {
        byKey.set(mk, target.sm.metrics.push(metric) - 1);
        continue;
      }
      const { merged, conflicts } = mergeMetric(target.sm.metrics[index]!, metric, keys);
      target.sm.metrics[index] = merged;
      if (conflicts) rejected.push(conflicts);
    }
    if (rejected.length) leftover.push({ scope: sm.scope, metrics: rejected });
  }
  const merged = { resource: older.resource, scopeMetrics: [...scopes.values()].map((s) => s.sm) };
  return leftover.length ? { merged, leftover: { resource: newer.resource, scopeMetrics: leftover } } : { merged };
}

function indexMetrics(metrics: MetricData[], keys: StreamKeys): Map<string, number> {
  const byKey = new Map<string, number>();
  metrics.forEach((m, i) => byKey.set(keys.metricKey(m), i));
  return byKey;
}

function mergeMetric(older: MetricData, newer: MetricData, keys: StreamKeys): { merged: MetricData; conflicts?: MetricData } {
  return mergeInOrder(older, newer, keys) ?? mergeByKey(older, newer, keys);
}

// The SDK reports a metric's series in the same order every collection: pair them up without a
// map while they match, which is most of the time (and allocates nothing per point but the merge).
function mergeInOrder(older: MetricData, newer: MetricData, keys: StreamKeys): { merged: MetricData } | undefined {
  const a = (older as AnyMetric).dataPoints;
  const b = (newer as AnyMetric).dataPoints;
  if (a.length !== b.length) return undefined;
  const out = new Array<DataPoint<unknown>>(a.length);
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!;
    const q = b[i]!;
    if (p.attributes !== q.attributes && keys.attributesKey(p.attributes) !== keys.attributesKey(q.attributes)) return undefined;
    const merged = mergePoint(older, p, q);
    if (!merged) return undefined;
    out[i] = merged;
  }
  return { merged: { ...older, dataPoints: out } as MetricData };
}

function mergeByKey(older: MetricData, newer: MetricData, keys: StreamKeys): { merged: MetricData; conflicts?: MetricData } {
  const points = new Map<string, DataPoint<unknown>>();
  for (const p of (older as AnyMetric).dataPoints) points.set(keys.attributesKey(p.attributes), p);
  const conflicts: DataPoint<unknown>[] = [];
  for (const p of (newer as AnyMetric).dataPoints) {
    const key = keys.attributesKey(p.attributes);
    const existing = points.get(key);
    if (!existing) {
      points.set(key, p);
      continue;
    }
    const merged = mergePoint(older, existing, p);
    if (merged) points.set(key, merged);
    else conflicts.push(p);
  }
  const merged = { ...older, dataPoints: [...points.values()] } as MetricData;
  return conflicts.length ? { merged, conflicts: { ...newer, dataPoints: conflicts } as MetricData } : { merged };
}
