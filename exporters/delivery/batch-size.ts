import type { DataPoint, ExponentialHistogram, Histogram, MetricData, ResourceMetrics, ScopeMetrics } from '@opentelemetry/sdk-metrics';

/** Number of data points in a batch. */
export function countPoints(batch: ResourceMetrics): number {
  let n = 0;
  for (const sm of batch.scopeMetrics) for (const m of sm.metrics) n += m.dataPoints.length;
  return n;
}

/**
 * A cheap estimate of a batch's size as OTLP protobuf, in bytes: what the queue's byte bound
 * and the request split count. Within 2x of the real encoded size on every shape the tests
 * measure (numbers with and without attributes, histograms): each field is counted as its
 * wire size (fixed64 timestamps and values, length-prefixed strings, packed buckets).
 */
export function estimateBytes(batch: ResourceMetrics): number {
  const known = estimates.get(batch);
  if (known !== undefined) return known;
  let bytes = resourceBytes(batch);
  for (const sm of batch.scopeMetrics) {
    bytes += scopeBytes(sm);
    for (const m of sm.metrics) {
      bytes += metricBytes(m);
      for (const p of m.dataPoints as DataPoint<unknown>[]) bytes += pointBytes(p);
    }
  }
  estimates.set(batch, bytes);
  return bytes;
}

/**
 * The estimate of a batch already estimated (the queue counts every batch it holds), else
 * undefined: the split layer then skips its own pass over the points of a batch that fits.
 */
export function knownBytes(batch: ResourceMetrics): number | undefined {
  return estimates.get(batch);
}

// A memo of a pure function of an immutable input, not state: no layer changes a batch it is
// given (coalescing and splitting build new ones), and a batch is collected garbage with its entry.
const estimates = new WeakMap<ResourceMetrics, number>();

/** The resource's share of the estimate. */
export function resourceBytes(batch: ResourceMetrics): number {
  return 64 + attributeBytes(batch.resource.attributes);
}

/** A scope's own share (without its metrics). */
export function scopeBytes(sm: ScopeMetrics): number {
  return 8 + sm.scope.name.length + (sm.scope.version?.length ?? 0);
}

/** A metric's own share (without its points). */
export function metricBytes(m: MetricData): number {
  return 12 + m.descriptor.name.length + m.descriptor.description.length + m.descriptor.unit.length;
}

/** One point: two fixed64 timestamps and a fixed64 value with their tags and framing, its attributes, its buckets. */
export function pointBytes(p: DataPoint<unknown>): number {
  let bytes = 30 + attributeBytes(p.attributes);
  const value = p.value as Partial<Histogram & ExponentialHistogram>;
  if (typeof value === 'object') {
    bytes += 36;
    if (value.buckets) bytes += (value.buckets.counts.length + value.buckets.boundaries.length) * 8;
    if (value.positive) bytes += (value.positive.bucketCounts.length + value.negative!.bucketCounts.length) * 2;
  }
  return bytes;
}

function attributeBytes(attributes: Record<string, unknown>): number {
  let bytes = 0;
  // for-in, not Object.entries: this runs for every point of every batch on the export path.
  for (const k in attributes) {
    const v = attributes[k];
    bytes += 8 + k.length + (typeof v === 'string' ? v.length : 9);
  }
  return bytes;
}
