import type { HrTime } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type DataPoint, type ExponentialHistogram, type Histogram, type MetricData } from '@opentelemetry/sdk-metrics';

/**
 * Merges two points of one stream, the newer `b` after the older `a`, or returns undefined when
 * they cannot be one point (a restarted cumulative stream, other histogram bounds):
 * - gauges and cumulative points keep the newest value (a cumulative point already contains the older one);
 * - delta sums add, delta histograms add bucket by bucket (exponential ones after aligning scales),
 *   and the merged point spans both time windows.
 * Inputs are not modified.
 */
export function mergePoint(metric: MetricData, a: DataPoint<unknown>, b: DataPoint<unknown>): DataPoint<unknown> | undefined {
  if (metric.dataPointType === DataPointType.GAUGE) return b;
  if (metric.aggregationTemporality === AggregationTemporality.CUMULATIVE) {
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
