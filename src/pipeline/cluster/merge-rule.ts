import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import type { GaugeAggregation } from '../../config/cluster-options';

/**
 * How one metric's points from several processes combine:
 * - `sum`: counters, up-down counters and histograms, added point by point;
 * - `label`: one series per process, told apart by `service.instance.id`;
 * - `min`, `max`, `last`: one gauge series chosen across processes;
 * - `once`: host-wide figures, taken from the first process that has them (the primary).
 */
export type MergeRule = 'sum' | 'once' | GaugeAggregation;

// Each process has its own CPU, memory, heap and event loop: summing them means nothing.
const PER_PROCESS = /^(process|v8js|nodejs)\./;

/** The rule for `metric`, given the gauge methods by instrument name (`*` for the rest). */
export function mergeRuleFor(metric: MetricData, gauges: Record<string, GaugeAggregation>): MergeRule {
  const name = metric.descriptor.name;
  if (name.startsWith('system.')) return 'once';
  if (PER_PROCESS.test(name)) return 'label';
  // Exponential histograms of different scales do not add bucket by bucket.
  if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) return 'label';
  if (metric.dataPointType === DataPointType.GAUGE) return gauges[name.toLowerCase()] ?? gauges[name] ?? gauges['*'] ?? 'label';
  return 'sum';
}

/** Whether a departed worker's last value of this metric is carried into the totals: only what must never go down. */
export function isCarried(metric: MetricData, rule: MergeRule): boolean {
  if (rule !== 'sum') return false;
  return metric.dataPointType === DataPointType.HISTOGRAM || (metric.dataPointType === DataPointType.SUM && metric.isMonotonic);
}
