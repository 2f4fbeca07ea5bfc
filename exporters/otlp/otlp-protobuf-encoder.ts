import { ValueType, type Attributes } from '@opentelemetry/api';
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
import { writeKeyValues } from './otlp-key-values';
import { ProtoWriter as Writer } from './proto-writer';

/**
 * ExportMetricsServiceRequests encoded as OTLP protobuf, the same bytes as upstream's
 * ProtobufMetricsSerializer in the same field order (test/exporters/otlp checks both, decoded
 * with protobufjs). Why ours: inside our process upstream's encoder is a third of a flush at 10k
 * points. It counts every message twice (a size pass, then a write pass) and re-encodes every
 * point's attributes on every export. Here each attributes object is encoded once and its bytes
 * are kept while it lives (the SDK hands out the same object every collection, as for the line
 * protocol's tags). Lengths are found after writing: a message's prefix is reserved, and the
 * body is moved only when the guess was wrong.
 */
export class OtlpProtobufEncoder {
  // Encoded attributes (every KeyValue with its tag), by the field they go in and the object they
  // came from: a memo of an immutable input, as for the size estimate (the SDK never changes a
  // point's attributes object, and an entry is collected with it).
  private readonly kept = new Map<number, WeakMap<Attributes, Uint8Array>>();
  // Keeping costs a copy per attributes object. An app whose attributes objects are new at every
  // collection (delta, or fresh literals) never reads them back, so keeping stops after a batch
  // with fewer hits than misses, and is tried again every 8th batch.
  private keep = true;
  private batches = 0;

  /** The request for `batch`. */
  encode(batch: ResourceMetrics): Uint8Array {
    const e: Encoding = { w: new Writer(4096), kept: this.kept, keep: this.keep || this.batches % 8 === 0, hits: 0, misses: 0 };
    this.batches++;
    const w = e.w;
    w.tag(1, 2);
    const rm = w.begin(3);
    w.tag(1, 2);
    const res = w.begin(2);
    attributes(e, batch.resource.attributes, 1);
    w.tag(2, 0);
    w.varint(0);
    w.end(res, 2);
    for (const sm of batch.scopeMetrics) {
      w.tag(2, 2);
      scopeMetrics(e, sm);
    }
    optionalString(w, 3, batch.resource.schemaUrl);
    w.end(rm, 3);
    this.keep = e.hits >= e.misses;
    return w.finish();
  }
}

/** One request being encoded. */
interface Encoding {
  w: Writer;
  kept: Map<number, WeakMap<Attributes, Uint8Array>>;
  keep: boolean;
  hits: number;
  misses: number;
}

function scopeMetrics(e: Encoding, sm: ScopeMetrics): void {
  const w = e.w;
  const start = w.begin(3);
  w.tag(1, 2);
  const scope = w.begin(1);
  w.tag(1, 2);
  w.string(sm.scope.name);
  optionalString(w, 2, sm.scope.version);
  w.end(scope, 1);
  for (const m of sm.metrics) {
    w.tag(2, 2);
    metric(e, m);
  }
  optionalString(w, 3, sm.scope.schemaUrl);
  w.end(start, 3);
}

function metric(e: Encoding, m: MetricData): void {
  const w = e.w;
  const start = w.begin(3);
  w.tag(1, 2);
  w.string(m.descriptor.name);
  optionalString(w, 2, m.descriptor.description);
  optionalString(w, 3, m.descriptor.unit);
  const field = FIELD[m.dataPointType];
  if (field !== undefined) {
    w.tag(field, 2);
    const body = w.begin(3);
    if (m.dataPointType === DataPointType.HISTOGRAM) {
      for (const p of m.dataPoints) histogramPoint(e, p as DataPoint<Histogram>);
    } else if (m.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) {
      for (const p of m.dataPoints) exponentialPoint(e, p as DataPoint<ExponentialHistogram>);
    } else {
      const int = m.descriptor.valueType === ValueType.INT;
      for (const p of m.dataPoints as DataPoint<number>[]) numberPoint(e, p, int);
    }
    if (m.dataPointType !== DataPointType.GAUGE) {
      const temporality = m.aggregationTemporality === AggregationTemporality.DELTA ? 1 : m.aggregationTemporality === AggregationTemporality.CUMULATIVE ? 2 : 0;
      if (temporality !== 0) {
        w.tag(2, 0);
        w.varint(temporality);
      }
    }
    if (m.dataPointType === DataPointType.SUM && m.isMonotonic) {
      w.tag(3, 0);
      w.varint(1);
    }
    w.end(body, 3);
  }
  w.end(start, 3);
}

const FIELD: Partial<Record<DataPointType, number>> = {
  [DataPointType.GAUGE]: 5,
  [DataPointType.SUM]: 7,
  [DataPointType.HISTOGRAM]: 9,
  [DataPointType.EXPONENTIAL_HISTOGRAM]: 10,
};

function numberPoint(e: Encoding, p: DataPoint<number>, int: boolean): void {
  const w = e.w;
  w.tag(1, 2);
  const start = w.begin(1);
  times(w, p);
  if (int) {
    w.tag(6, 1);
    w.fixed64Number(p.value);
  } else {
    w.tag(4, 1);
    w.double(p.value);
  }
  if (p.attributes) attributes(e, p.attributes, 7);
  w.end(start, 1);
}

function histogramPoint(e: Encoding, p: DataPoint<Histogram>): void {
  const w = e.w;
  const h = p.value;
  w.tag(1, 2);
  const start = w.begin(2);
  times(w, p);
  w.tag(4, 1);
  w.fixed64Number(h.count);
  optionalDouble(w, 5, h.sum);
  if (h.buckets.counts.length > 0) {
    w.tag(6, 2);
    w.varint(h.buckets.counts.length * 8);
    for (const c of h.buckets.counts) w.fixed64Number(c);
  }
  if (h.buckets.boundaries.length > 0) {
    w.tag(7, 2);
    w.varint(h.buckets.boundaries.length * 8);
    for (const b of h.buckets.boundaries) w.double(b);
  }
  if (p.attributes) attributes(e, p.attributes, 9);
  optionalDouble(w, 11, h.min);
  optionalDouble(w, 12, h.max);
  w.end(start, 2);
}

function exponentialPoint(e: Encoding, p: DataPoint<ExponentialHistogram>): void {
  const w = e.w;
  const h = p.value;
  w.tag(1, 2);
  const start = w.begin(2);
  if (p.attributes) attributes(e, p.attributes, 1);
  times(w, p);
  w.tag(4, 1);
  w.fixed64Number(h.count);
  optionalDouble(w, 5, h.sum);
  if (h.scale !== 0) {
    w.tag(6, 0);
    w.varint(zigzag32(h.scale));
  }
  w.tag(7, 1);
  w.fixed64Number(h.zeroCount);
  w.tag(8, 2);
  buckets(w, h.positive.offset, h.positive.bucketCounts);
  w.tag(9, 2);
  buckets(w, h.negative.offset, h.negative.bucketCounts);
  optionalDouble(w, 12, h.min);
  optionalDouble(w, 13, h.max);
  w.end(start, 2);
}

function buckets(w: Writer, offset: number, counts: number[]): void {
  const start = w.begin(1);
  if (offset !== 0) {
    w.tag(1, 0);
    w.varint(zigzag32(offset));
  }
  if (counts.length > 0) {
    w.tag(2, 2);
    const packed = w.begin(1);
    for (const c of counts) w.varint(c);
    w.end(packed, 1);
  }
  w.end(start, 1);
}

/** A string field, left out when empty (as proto3 and upstream do). */
function optionalString(w: Writer, field: number, value: string | undefined): void {
  if (!value) return;
  w.tag(field, 2);
  w.string(value);
}

/** A double field, left out when the SDK gave none. */
function optionalDouble(w: Writer, field: number, value: number | undefined): void {
  if (value === undefined) return;
  w.tag(field, 1);
  w.double(value);
}

/** A point's start and end times: fields 2 and 3 in every point type. */
function times(w: Writer, p: DataPoint<unknown>): void {
  w.tag(2, 1);
  w.time(p.startTime);
  w.tag(3, 1);
  w.time(p.endTime);
}

const zigzag32 = (v: number): number => ((v << 1) ^ (v >> 31)) >>> 0;

function attributes(e: Encoding, attrs: Attributes, field: number): void {
  const w = e.w;
  let byObject = e.kept.get(field);
  if (!byObject) e.kept.set(field, byObject = new WeakMap());
  const known = byObject.get(attrs);
  if (known !== undefined) {
    e.hits++;
    w.raw(known);
    return;
  }
  e.misses++;
  const start = w.pos;
  writeKeyValues(w, attrs, field);
  if (e.keep) byObject.set(attrs, w.copy(start));
}
