import type { DataPoint, ExponentialHistogram, Histogram, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** Number of data points in a batch. */
export function countPoints(batch: ResourceMetrics): number {
  let n = 0;
  for (const sm of batch.scopeMetrics) for (const m of sm.metrics) n += m.dataPoints.length;
  return n;
}

/** A cheap estimate of the memory a batch holds, in bytes; what the queue's byte bound counts. */
export function estimateBytes(batch: ResourceMetrics): number {
  let bytes = 256;
  for (const sm of batch.scopeMetrics) {
    bytes += 64 + sm.scope.name.length * 2;
    for (const m of sm.metrics) {
      bytes += 96 + (m.descriptor.name.length + m.descriptor.description.length + m.descriptor.unit.length) * 2;
      for (const p of m.dataPoints as DataPoint<unknown>[]) {
        bytes += 120;
        // for-in, not Object.entries: this runs for every point of every batch on the export path.
        const attributes = p.attributes;
        for (const k in attributes) {
          const v = attributes[k];
          bytes += 48 + k.length * 2 + (typeof v === 'string' ? v.length * 2 : 16);
        }
        const value = p.value as Partial<Histogram & ExponentialHistogram>;
        if (typeof value === 'object') {
          if (value.buckets) bytes += (value.buckets.counts.length + value.buckets.boundaries.length) * 8;
          if (value.positive) bytes += (value.positive.bucketCounts.length + value.negative!.bucketCounts.length) * 8;
        }
      }
    }
  }
  return bytes;
}
