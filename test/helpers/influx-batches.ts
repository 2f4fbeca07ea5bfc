import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type ExponentialHistogram, type Histogram, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** Start and end time of every point built here. */
export const START: HrTime = [1_700_000_000, 0];
export const END: HrTime = [1_700_000_010, 123_456_789];

/** A point as the SDK hands it out. */
export const point = <T>(value: T, attributes: Attributes = {}, endTime: HrTime = END) => ({ startTime: START, endTime, attributes, value });

const descriptor = (name: string, valueType = ValueType.DOUBLE) => ({ name, description: '', unit: '', valueType });

/** A sum metric. */
export function sum(name: string, points: ReturnType<typeof point<number>>[], monotonic = true, valueType = ValueType.DOUBLE): MetricData {
  return { descriptor: descriptor(name, valueType), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: monotonic, dataPoints: points };
}

/** A gauge metric. */
export function gauge(name: string, points: ReturnType<typeof point<number>>[], valueType = ValueType.DOUBLE): MetricData {
  return { descriptor: descriptor(name, valueType), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints: points };
}

/** An explicit-bucket histogram metric. */
export function histogram(name: string, points: ReturnType<typeof point<Histogram>>[]): MetricData {
  return { descriptor: descriptor(name), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.HISTOGRAM, dataPoints: points };
}

/** An exponential histogram metric. */
export function expHistogram(name: string, points: ReturnType<typeof point<ExponentialHistogram>>[]): MetricData {
  return { descriptor: descriptor(name), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM, dataPoints: points };
}

/** One resource, one scope, these metrics. */
export function batch(metrics: MetricData[], resource: Resource = resourceFromAttributes({ 'service.name': 'shop' }), scope: { name: string; version?: string } = { name: 'lib', version: '1.0' }): ResourceMetrics {
  return { resource, scopeMetrics: [{ scope, metrics }] };
}
