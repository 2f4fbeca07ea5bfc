import type { Attributes, HrTime } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type DataPoint,
  type ExponentialHistogram,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';

/** The result of {@link coalesce}: one batch holding both, plus whatever could not be merged. */
export interface Coalesced {
  merged: ResourceMetrics;
  /** Points of the newer batch that conflict with the older one (a cumulative reset, other buckets, another resource). */
  leftover?: ResourceMetrics;
}

/**
 * Merges a newer batch into an older one stream by stream, so a queue waiting on a dead
 * destination holds one point per stream however long the outage lasts:
 * - gauges and cumulative points keep the newest value (a cumulative point already contains the older one);
 * - delta sums add, delta histograms add bucket by bucket (exponential ones after aligning scales),
 *   so no delta is lost; the merged point spans both time windows.
 * Neither input is modified; point values are treated as immutable.
 */
export function coalesce(older: ResourceMetrics, newer: ResourceMetrics): Coalesced {
  if (!sameAttributes(older.resource.attributes, newer.resource.attributes)) return { merged: older, leftover: newer };
  const scopes = new Map<string, ScopeMetrics>();
  for (const sm of older.scopeMetrics) scopes.set(scopeKey(sm), { scope: sm.scope, metrics: [...sm.metrics] });
  const leftover: ScopeMetrics[] = [];
  for (const sm of newer.scopeMetrics) {
    const key = scopeKey(sm);
    const target = scopes.get(key);
    if (!target) {
      scopes.set(key, { scope: sm.scope, metrics: [...sm.metrics] });
      continue;
    }
    const rejected: MetricData[] = [];
    for (const metric of sm.metrics) {
      const index = target.metrics.findIndex((m) => metricKey(m) === metricKey(metric));
      if (index < 0) {
        target.metrics.push(metric);
        continue;
      }
      const { merged, conflicts } = mergeMetric(target.metrics[index]!, metric);
      target.metrics[index] = merged;
      if (conflicts) rejected.push(conflicts);
    }
    if (rejected.length) leftover.push({ scope: sm.scope, metrics: rejected });
  }
  const merged = { resource: older.resource, scopeMetrics: [...scopes.values()] };
  return leftover.length ? { merged, leftover: { resource: newer.resource, scopeMetrics: leftover } } : { merged };
}

type AnyMetric = MetricData & { dataPoints: DataPoint<unknown>[] };

function mergeMetric(older: MetricData, newer: MetricData): { merged: MetricData; conflicts?: MetricData } {
  const points = new Map<string, DataPoint<unknown>>();
  for (const p of (older as AnyMetric).dataPoints) points.set(attributesKey(p.attributes), p);
  const conflicts: DataPoint<unknown>[] = [];
  for (const p of (newer as AnyMetric).dataPoints) {
    const key = attributesKey(p.attributes);
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

function mergePoint(metric: MetricData, a: DataPoint<unknown>, b: DataPoint<unknown>): DataPoint<unknown> | undefined {
  if (metric.dataPointType === DataPointType.GAUGE) return b;
  if (metric.aggregationTemporality === AggregationTemporality.CUMULATIVE) {
    // The newer cumulative point includes the older one, unless the stream restarted.
    return sameTime(a.startTime, b.startTime) ? b : undefined;
  }
  const span = { startTime: minTime(a.startTime, b.startTime), endTime: maxTime(a.endTime, b.endTime), attributes: b.attributes };
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return { ...span, value: (a.value as number) + (b.value as number) };
    case DataPointType.HISTOGRAM: {
      const value = mergeHistogram(a.value as Histogram, b.value as Histogram);
      return value ? { ...span, value } : undefined;
    }
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return { ...span, value: mergeExponential(a.value as ExponentialHistogram, b.value as ExponentialHistogram) };
  }
}

function mergeHistogram(a: Histogram, b: Histogram): Histogram | undefined {
  const ba = a.buckets.boundaries;
  const bb = b.buckets.boundaries;
  if (ba.length !== bb.length || ba.some((x, i) => x !== bb[i])) return undefined;
  return {
    buckets: { boundaries: ba, counts: a.buckets.counts.map((c, i) => c + (b.buckets.counts[i] ?? 0)) },
    count: a.count + b.count,
    sum: addOptional(a.sum, b.sum),
    min: minOptional(a.min, b.min),
    max: maxOptional(a.max, b.max),
  };
}

function mergeExponential(a: ExponentialHistogram, b: ExponentialHistogram): ExponentialHistogram {
  const scale = Math.min(a.scale, b.scale);
  return {
    scale,
    count: a.count + b.count,
    sum: addOptional(a.sum, b.sum),
    min: minOptional(a.min, b.min),
    max: maxOptional(a.max, b.max),
    zeroCount: a.zeroCount + b.zeroCount,
    positive: mergeBuckets([[a.positive, a.scale - scale], [b.positive, b.scale - scale]]),
    negative: mergeBuckets([[a.negative, a.scale - scale], [b.negative, b.scale - scale]]),
  };
}

// Lowering the scale by `shift` maps bucket index i to floor(i / 2^shift); `>>` floors negatives too.
function mergeBuckets(parts: Array<[{ offset: number; bucketCounts: number[] }, number]>): { offset: number; bucketCounts: number[] } {
  const counts = new Map<number, number>();
  for (const [buckets, shift] of parts) {
    buckets.bucketCounts.forEach((c, i) => {
      if (c === 0) return;
      const index = (buckets.offset + i) >> shift;
      counts.set(index, (counts.get(index) ?? 0) + c);
    });
  }
  if (counts.size === 0) return { offset: 0, bucketCounts: [] };
  const indexes = [...counts.keys()];
  const offset = Math.min(...indexes);
  const bucketCounts = new Array<number>(Math.max(...indexes) - offset + 1).fill(0);
  for (const [index, c] of counts) bucketCounts[index - offset] = c;
  return { offset, bucketCounts };
}

const addOptional = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : a + b);
const minOptional = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const maxOptional = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
const sameTime = (a: HrTime, b: HrTime) => a[0] === b[0] && a[1] === b[1];
const before = (a: HrTime, b: HrTime) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
const minTime = (a: HrTime, b: HrTime) => (before(b, a) ? b : a);
const maxTime = (a: HrTime, b: HrTime) => (before(a, b) ? b : a);

function scopeKey(sm: ScopeMetrics): string {
  return `${sm.scope.name}\u0000${sm.scope.version ?? ''}\u0000${sm.scope.schemaUrl ?? ''}`;
}

function metricKey(m: MetricData): string {
  const d = m.descriptor;
  const monotonic = m.dataPointType === DataPointType.SUM ? String(m.isMonotonic) : '';
  return `${d.name}\u0000${d.unit}\u0000${m.dataPointType}\u0000${m.aggregationTemporality}\u0000${monotonic}`;
}

/** Order-independent key for an attribute set. */
export function attributesKey(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  return JSON.stringify(keys.map((k) => [k, attributes[k]]));
}

function sameAttributes(a: Attributes, b: Attributes): boolean {
  return a === b || attributesKey(a) === attributesKey(b);
}
