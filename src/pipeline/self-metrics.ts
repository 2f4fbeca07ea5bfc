import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  InstrumentType,
  type DataPoint,
  type Histogram,
  type MetricData,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import type { DeliveryStats } from '../../exporters/delivery/delivery-stats';

const COMPONENT_TYPE = 'otel_metrics_pipeline_push_exporter';
// The scope the self-metrics' meter had (provider.getMeter('otel-metrics-pipeline')).
const SCOPE = { name: 'otel-metrics-pipeline', version: '' };
const DURATION_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What a reader says about temporality: the only thing the self-metrics ask of it. */
export interface TemporalityOf {
  selectAggregationTemporality(kind: InstrumentType): AggregationTemporality;
}

interface Counted { total: number; attrs: Attributes }
interface Durations { attrs: Attributes; counts: number[]; sum: number; count: number; min: number; max: number }

/** One reader's view: its last counter totals (delta), its durations since its last collection (delta) or ever. */
class ReaderView {
  readonly reported = new Map<string, number>();
  readonly durations = new Map<string, Durations>();
  since: HrTime;
  constructor(readonly reader: TemporalityOf, start: HrTime) {
    this.since = start;
  }
}

/**
 * The pipeline's own metrics, exported through itself. Names follow the OpenTelemetry SDK
 * self-observability conventions where they exist
 * (https://opentelemetry.io/docs/specs/semconv/otel/sdk-metrics/); the queue, retry and drop
 * figures have no convention yet and use the `otel_metrics_pipeline.` namespace.
 * (`otel.sdk.metric_reader.collection.duration` comes from the SDK itself.)
 *
 * They are built as metric data at collection, not recorded through SDK instruments: their
 * attribute sets would otherwise share the SDK's record and collection paths (attribute hashing,
 * the temporal processor) with the app's own, making those paths polymorphic and every export
 * slower (bench/collect-export.js). Views therefore do not apply to them; each reader gets the
 * temporality it selects for the instrument kind each would have been.
 */
export class SelfMetrics {
  private readonly start = millisToHrTime(Date.now());
  private readonly views: ReaderView[] = [];
  // Every attempt since the start: a reader seen first later begins its view from these.
  private readonly durations = new Map<string, Durations>();
  private readonly base: Map<DeliveryStats, Attributes>;
  private readonly typed = new Map<string, Attributes>();
  // An exporter is reported once it has tried to deliver something: an app that records nothing
  // then exports nothing, and never loads a transport.
  private readonly attempted = new Set<DeliveryStats>();

  constructor(private readonly stats: DeliveryStats[]) {
    this.base = new Map(stats.map((s) => [s, { 'otel.component.type': COMPONENT_TYPE, 'otel.component.name': s.name }]));
    for (const s of stats) {
      s.onAttempt = (seconds, errorType) => {
        this.attempted.add(s);
        const key = errorType === undefined ? s.name : `${s.name}\u0000${errorType}`;
        const attrs = () => (errorType === undefined ? this.base.get(s)! : this.withType(s, 'error.type', errorType));
        record(this.durations, key, attrs, seconds);
        for (const v of this.views) record(v.durations, key, attrs, seconds);
      };
    }
  }

  /** The metrics due to `reader` now (its first call starts its view), or undefined when none is. */
  collect(reader: TemporalityOf): ScopeMetrics | undefined {
    let view = this.views.find((v) => v.reader === reader);
    if (!view) {
      this.views.push(view = new ReaderView(reader, this.start));
      for (const [key, d] of this.durations) view.durations.set(key, { ...d, counts: [...d.counts] });
    }
    const now = millisToHrTime(Date.now());
    const delta = (kind: InstrumentType) => reader.selectAggregationTemporality(kind) === AggregationTemporality.DELTA;
    const counterDelta = delta(InstrumentType.OBSERVABLE_COUNTER);
    const histogramDelta = delta(InstrumentType.HISTOGRAM);
    const counterStart = counterDelta ? view.since : this.start;
    const histogramStart = histogramDelta ? view.since : this.start;

    const exported = new Map<string, Counted>();
    const dropped = new Map<string, Counted>();
    const rejected = new Map<string, Counted>();
    const retries = new Map<string, Counted>();
    const gauges: Record<'size' | 'capacity' | 'bytes' | 'maxBytes', DataPoint<number>[]> = { size: [], capacity: [], bytes: [], maxBytes: [] };
    for (const s of this.stats) {
      if (!(this.attempted.has(s) || s.exportedPoints > 0 || s.failedPoints.size > 0 || s.queueSize > 0)) continue;
      const a = this.base.get(s)!;
      exported.set(s.name, { total: s.exportedPoints, attrs: a });
      for (const [type, n] of s.failedPoints) {
        exported.set(`${s.name}\u0000error.type\u0000${type}`, { total: n, attrs: this.withType(s, 'error.type', type) });
        dropped.set(`${s.name}\u0000${type}`, { total: n, attrs: this.withType(s, 'reason', type) });
      }
      rejected.set(s.name, { total: s.rejectedPoints, attrs: a });
      retries.set(s.name, { total: s.retries, attrs: a });
      const gauge = (value: number): DataPoint<number> => ({ startTime: this.start, endTime: now, attributes: a, value });
      gauges.size.push(gauge(s.queueSize));
      gauges.capacity.push(gauge(s.queueCapacity));
      gauges.bytes.push(gauge(s.queueBytes));
      gauges.maxBytes.push(gauge(s.queueMaxBytes));
    }

    const sum = (name: string, unit: string, description: string, series: Map<string, Counted>): MetricData | undefined => {
      if (series.size === 0) return undefined;
      const points: DataPoint<number>[] = [];
      for (const [key, { total, attrs }] of series) {
        const id = `${name}\u0000${key}`;
        const value = counterDelta ? total - (view.reported.get(id) ?? 0) : total;
        if (counterDelta) view.reported.set(id, total);
        points.push({ startTime: counterStart, endTime: now, attributes: attrs, value });
      }
      return {
        descriptor: { name, unit, description, valueType: ValueType.DOUBLE },
        aggregationTemporality: counterDelta ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: points,
      };
    };
    const gauge = (name: string, unit: string, description: string, points: DataPoint<number>[]): MetricData | undefined => (points.length === 0 ? undefined : {
      descriptor: { name, unit, description, valueType: ValueType.DOUBLE },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: points,
    });

    const metrics = [
      durationMetric(view, histogramStart, now, histogramDelta),
      sum('otel.sdk.exporter.metric_data_point.exported', '{data_point}', 'Metric data points whose export finished: delivered, or given up on (with error.type).', exported),
      sum('otel_metrics_pipeline.dropped', '{data_point}', 'Metric data points given up on, by reason (queue_full, shutdown, an HTTP status or gRPC code, …).', dropped),
      sum('otel_metrics_pipeline.rejected', '{data_point}', 'Metric data points the destination rejected in a partial-success response.', rejected),
      sum('otel_metrics_pipeline.retries', '{attempt}', 'Export attempts that were retries.', retries),
      gauge('otel_metrics_pipeline.queue.size', '{batch}', 'Batches waiting or being sent.', gauges.size),
      gauge('otel_metrics_pipeline.queue.capacity', '{batch}', 'Most batches the queue holds.', gauges.capacity),
      gauge('otel_metrics_pipeline.queue.bytes', 'By', 'Bytes the queue holds (estimated in memory, exact on disk).', gauges.bytes),
      gauge('otel_metrics_pipeline.queue.max_bytes', 'By', 'Most bytes the queue holds.', gauges.maxBytes),
    ].filter((m): m is MetricData => m !== undefined);
    view.since = now;
    return metrics.length === 0 ? undefined : { scope: SCOPE, metrics };
  }

  // Made once per exporter and error type: the collection reads them every cycle.
  private withType(s: DeliveryStats, key: 'error.type' | 'reason', type: string): Attributes {
    const id = `${s.name}\u0000${key}\u0000${type}`;
    let a = this.typed.get(id);
    if (!a) this.typed.set(id, a = { ...this.base.get(s), [key]: type });
    return a;
  }
}

function record(into: Map<string, Durations>, key: string, attrs: () => Attributes, seconds: number): void {
  let d = into.get(key);
  if (!d) into.set(key, d = { attrs: attrs(), counts: new Array<number>(DURATION_BOUNDS.length + 1).fill(0), sum: 0, count: 0, min: Infinity, max: -Infinity });
  let i = 0;
  while (i < DURATION_BOUNDS.length && seconds > DURATION_BOUNDS[i]) i++;
  d.counts[i]++;
  d.sum += seconds;
  d.count++;
  if (seconds < d.min) d.min = seconds;
  if (seconds > d.max) d.max = seconds;
}

// otel.sdk.exporter.operation.duration: cumulative views keep their series; delta views report
// the attempts since their last collection (none: no point) and start again.
function durationMetric(view: ReaderView, start: HrTime, now: HrTime, delta: boolean): MetricData | undefined {
  const points: DataPoint<Histogram>[] = [];
  for (const d of view.durations.values()) {
    if (d.count === 0) continue;
    points.push({
      startTime: start,
      endTime: now,
      attributes: d.attrs,
      value: { buckets: { boundaries: DURATION_BOUNDS, counts: [...d.counts] }, sum: d.sum, count: d.count, min: d.min, max: d.max },
    });
  }
  if (delta) view.durations.clear();
  if (points.length === 0) return undefined;
  return {
    descriptor: { name: 'otel.sdk.exporter.operation.duration', unit: 's', description: 'Duration of one export attempt of a batch of metric data points.', valueType: ValueType.DOUBLE },
    aggregationTemporality: delta ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: points,
  };
}
