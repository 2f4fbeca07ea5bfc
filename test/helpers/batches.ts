import { AggregationTemporality, DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';

const resource = resourceFromAttributes({ 'service.name': 'batches' });
let clock = 1_700_000_000;

/**
 * A delta-sum batch of `streams` points named `metric`, each with value `value`, and a fresh
 * one-second time window, as a reader would hand to an exporter.
 */
export function deltaBatch(streams: number, value = 1, metric = 'jobs'): ResourceMetrics {
  const start = clock++;
  return {
    resource,
    scopeMetrics: [{
      scope: { name: 'test' },
      metrics: [{
        descriptor: { name: metric, description: '', unit: '', valueType: 1 },
        aggregationTemporality: AggregationTemporality.DELTA,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: Array.from({ length: streams }, (_, i) => ({ startTime: [start, 0], endTime: [start + 1, 0], attributes: { stream: i }, value })),
      }],
    }],
  } as ResourceMetrics;
}

/** Sum of every point of `metric` across batches. */
export function total(batches: ResourceMetrics[], metric = 'jobs'): number {
  let sum = 0;
  for (const b of batches) for (const sm of b.scopeMetrics) for (const m of sm.metrics) {
    if (m.descriptor.name === metric) for (const p of m.dataPoints) sum += p.value as number;
  }
  return sum;
}
