import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type DataPoint, type Histogram, type MetricData, type ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { GaugeAggregation } from '../../config/cluster-options';
import type { MetricsPart } from './metrics-part';
import { mergeRuleFor, type MergeRule } from './merge-rule';

/** The attribute every per-process series carries in a merged cluster view. */
export const INSTANCE_ATTRIBUTE = 'service.instance.id';

interface MergedMetric {
  metric: MetricData;
  rule: MergeRule;
  points: Map<string, DataPoint<unknown>>;
}

type HrTime = [number, number];
const earlier = (a: HrTime, b: HrTime): HrTime => (a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]) ? a : b);
const later = (a: HrTime, b: HrTime): HrTime => (earlier(a, b) === a ? b : a);

function keyOf(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length === 0) return '';
  keys.sort();
  let key = '';
  for (const k of keys) key += `${k}\u0000${JSON.stringify(attributes[k])}\u0001`;
  return key;
}

function sameBounds(a: Histogram, b: Histogram): boolean {
  const x = a.buckets.boundaries;
  const y = b.buckets.boundaries;
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function addHistograms(a: Histogram, b: Histogram): Histogram {
  const min = a.min === undefined ? b.min : b.min === undefined ? a.min : Math.min(a.min, b.min);
  const max = a.max === undefined ? b.max : b.max === undefined ? a.max : Math.max(a.max, b.max);
  return {
    buckets: { boundaries: a.buckets.boundaries, counts: a.buckets.counts.map((c, i) => c + (b.buckets.counts[i] ?? 0)) },
    count: a.count + b.count,
    sum: a.sum === undefined || b.sum === undefined ? undefined : a.sum + b.sum,
    min,
    max,
  };
}

// Folds `point` into the series at `key`; false when they cannot be combined (histogram bounds differ).
function combine(into: MergedMetric, key: string, point: DataPoint<unknown>): boolean {
  const had = into.points.get(key);
  if (!had) {
    into.points.set(key, { ...point });
    return true;
  }
  const span = { startTime: earlier(had.startTime as HrTime, point.startTime as HrTime), endTime: later(had.endTime as HrTime, point.endTime as HrTime) };
  switch (into.rule) {
    case 'once':
      return true;
    case 'sum':
      if (into.metric.dataPointType === DataPointType.HISTOGRAM) {
        if (!sameBounds(had.value as Histogram, point.value as Histogram)) return false;
        into.points.set(key, { ...had, ...span, value: addHistograms(had.value as Histogram, point.value as Histogram) });
      } else {
        into.points.set(key, { ...had, ...span, value: (had.value as number) + (point.value as number) });
      }
      return true;
    case 'min':
    case 'max': {
      const pick = into.rule === 'min' ? Math.min : Math.max;
      into.points.set(key, { ...had, ...span, value: pick(had.value as number, point.value as number) });
      return true;
    }
    case 'last':
      if (later(had.endTime as HrTime, point.endTime as HrTime) === point.endTime) into.points.set(key, { ...point, startTime: span.startTime });
      return true;
    default:
      return false;
  }
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
          merged.points.set(keyOf(attributes), { ...point, attributes });
        }
      }
    }
  }
  return [...scopes.values()].map(({ scope, metrics }) => ({
    scope,
    metrics: [...metrics.values()].map(({ metric, points }) => ({ ...metric, dataPoints: [...points.values()] }) as MetricData),
  }));
}
