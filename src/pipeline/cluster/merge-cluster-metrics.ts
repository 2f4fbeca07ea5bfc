import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type DataPoint, type Histogram, type MetricData, type ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { GaugeAggregation } from '../../config/cluster-options';
import type { MetricsPart } from './metrics-part';
import { mergeRuleFor, type MergeRule } from './merge-rule';

/** The attribute every per-process series carries in a merged cluster view. */
export const INSTANCE_ATTRIBUTE = 'service.instance.id';

// The merged view's own copy of a series, changed in place as the parts fold in.
type Series = { -readonly [K in keyof DataPoint<unknown>]: DataPoint<unknown>[K] };

interface MergedMetric {
  metric: MetricData;
  rule: MergeRule;
  points: Map<string, Series>;
}

type HrTime = [number, number];
const before = (a: HrTime, b: HrTime): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

// The SDK's own series key (hashAttributes): a flat string hashes fast in the Map.
function keyOf(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length === 0) return '';
  if (keys.length > 1) keys.sort();
  return JSON.stringify(keys.map((k) => [k, attributes[k]]));
}

function sameBounds(a: Histogram, b: Histogram): boolean {
  const x = a.buckets.boundaries;
  const y = b.buckets.boundaries;
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function addHistogram(into: Histogram, b: Histogram): void {
  const counts = into.buckets.counts;
  for (let i = 0; i < counts.length; i++) counts[i]! += b.buckets.counts[i] ?? 0;
  into.count += b.count;
  into.sum = into.sum === undefined || b.sum === undefined ? undefined : into.sum + b.sum;
  if (b.min !== undefined && (into.min === undefined || b.min < into.min)) into.min = b.min;
  if (b.max !== undefined && (into.max === undefined || b.max > into.max)) into.max = b.max;
}

// A series of the merged view: a copy, so merging never changes the parts.
function copyOf(point: DataPoint<unknown>): Series {
  const v = point.value as Histogram;
  const value = typeof v === 'object' && v !== null && v.buckets ? { ...v, buckets: { boundaries: v.buckets.boundaries, counts: [...v.buckets.counts] } } : point.value;
  return { startTime: point.startTime, endTime: point.endTime, attributes: point.attributes, value };
}

// Folds `point` into the series at `key` in place; false when they cannot be combined (histogram bounds differ).
function combine(into: MergedMetric, key: string, point: DataPoint<unknown>): boolean {
  const had = into.points.get(key);
  if (!had) {
    into.points.set(key, copyOf(point));
    return true;
  }
  const rule = into.rule;
  if (rule === 'once') return true;
  if (rule === 'sum' && into.metric.dataPointType === DataPointType.HISTOGRAM) {
    if (!sameBounds(had.value as Histogram, point.value as Histogram)) return false;
    addHistogram(had.value as Histogram, point.value as Histogram);
  } else if (rule === 'sum') {
    had.value = (had.value as number) + (point.value as number);
  } else if (rule === 'min' || rule === 'max') {
    const v = point.value as number;
    if (rule === 'min' ? v < (had.value as number) : v > (had.value as number)) had.value = v;
  } else if (rule === 'last') {
    if (before(had.endTime as HrTime, point.endTime as HrTime)) had.value = point.value;
  } else {
    return false;
  }
  if (before(point.startTime as HrTime, had.startTime as HrTime)) had.startTime = point.startTime;
  if (before(had.endTime as HrTime, point.endTime as HrTime)) had.endTime = point.endTime;
  return true;
}

/**
 * One cumulative view of a cluster from each process's collection (the primary's first): the
 * points of a metric combine by its {@link MergeRule}; a per-process series, or a histogram
 * whose bounds differ from the others', keeps its own series labelled with the process's
 * `service.instance.id`. A metric whose type differs from the first one seen is left out.
 * Pure: the parts are not changed.
 */
export function mergeClusterMetrics(parts: readonly MetricsPart[], gauges: Record<string, GaugeAggregation>): ScopeMetrics[] {
  const scopes = new Map<string, { scope: ScopeMetrics['scope']; metrics: Map<string, MergedMetric> }>();
  for (const part of parts) {
    for (const sm of part.scopeMetrics) {
      const scopeKey = `${sm.scope.name}\u0000${sm.scope.version ?? ''}\u0000${sm.scope.schemaUrl ?? ''}`;
      let scope = scopes.get(scopeKey);
      if (!scope) scopes.set(scopeKey, (scope = { scope: sm.scope, metrics: new Map() }));
      for (const metric of sm.metrics) {
        let merged = scope.metrics.get(metric.descriptor.name);
        if (!merged) {
          merged = { metric, rule: mergeRuleFor(metric, gauges), points: new Map() };
          scope.metrics.set(metric.descriptor.name, merged);
        } else if (merged.metric.dataPointType !== metric.dataPointType) {
          continue;
        }
        for (const point of metric.dataPoints as Array<DataPoint<unknown>>) {
          if (merged.rule !== 'label' && combine(merged, keyOf(point.attributes), point)) continue;
          const attributes = { ...point.attributes, [INSTANCE_ATTRIBUTE]: part.instanceId };
          merged.points.set(keyOf(attributes), { ...copyOf(point), attributes });
        }
      }
    }
  }
  return [...scopes.values()].map(({ scope, metrics }) => ({
    scope,
    metrics: [...metrics.values()].map(({ metric, points }) => ({ ...metric, dataPoints: [...points.values()] }) as MetricData),
  }));
}
