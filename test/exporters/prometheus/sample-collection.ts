import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';

const T0: [number, number] = [1_700_000_000, 500_000_000];
const T1: [number, number] = [1_700_000_060, 0];

type Kind = 'counter' | 'updown' | 'gauge' | 'histogram' | 'exponential';

/** One metric with fixed times, the way a cumulative reader hands it over. */
export function metric(kind: Kind, name: string, unit: string, points: Array<[Record<string, unknown>, unknown]>, description = ''): MetricData {
  const dataPoints = points.map(([attributes, value]) => ({ startTime: T0, endTime: T1, attributes, value }));
  const base = { descriptor: { name, description, unit, valueType: 1 }, aggregationTemporality: AggregationTemporality.CUMULATIVE };
  switch (kind) {
    case 'counter':
    case 'updown':
      return { ...base, dataPointType: DataPointType.SUM, isMonotonic: kind === 'counter', dataPoints } as MetricData;
    case 'gauge':
      return { ...base, dataPointType: DataPointType.GAUGE, dataPoints } as MetricData;
    case 'histogram':
      return { ...base, dataPointType: DataPointType.HISTOGRAM, dataPoints } as MetricData;
    case 'exponential':
      return { ...base, dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM, dataPoints } as MetricData;
  }
}

/** A collection with one resource and the given scopes. */
export function collection(scopes: Array<{ name: string; version?: string; schemaUrl?: string; metrics: MetricData[] }>, resource: Record<string, string> = { 'service.name': 'golden' }): ResourceMetrics {
  return {
    resource: resourceFromAttributes(resource),
    scopeMetrics: scopes.map(({ metrics, ...scope }) => ({ scope, metrics })),
  } as ResourceMetrics;
}

/** A histogram value with explicit buckets. */
export function histogram(boundaries: number[], counts: number[], sum: number, min?: number): unknown {
  return { buckets: { boundaries, counts }, sum, count: counts.reduce((a, b) => a + b, 0), min, max: undefined };
}
