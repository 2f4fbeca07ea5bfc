import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  InstrumentType,
  type DataPoint,
  type MetricData,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import type { DeliveryStats } from '../../exporters/delivery/delivery-stats';
import type { TemporalityOf } from '../../core/direct-source';
import { ReaderHistograms, recordInto, type HistogramCell } from '../../core/reader-histograms';

export type { TemporalityOf } from '../../core/direct-source';

const COMPONENT_TYPE = 'otel_metrics_pipeline_push_exporter';
// The scope the self-metrics' meter had (provider.getMeter('otel-metrics-pipeline')).
const SCOPE = { name: 'otel-metrics-pipeline', version: '' };
const DURATION_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// The SDK's own choice for otel.sdk.metric_reader.collection.duration: count and sum, no buckets.
const COLLECTION_BOUNDS: number[] = [];


/** A reader whose collections are timed: its `collect` is wrapped on the instance. */
export interface Collecting extends TemporalityOf {
  collect(options?: { timeoutMillis?: number }): Promise<{ errors: unknown[] }>;
}

interface Counted { total: number; attrs: Attributes }
type DurationKind = 'export' | 'collection';
const descriptor = (name: string, description: string) => ({ name, unit: 's', description, valueType: ValueType.DOUBLE });
const EXPORT_DURATION = descriptor('otel.sdk.exporter.operation.duration', 'Duration of one export attempt of a batch of metric data points.');
const COLLECTION_DURATION = descriptor('otel.sdk.metric_reader.collection.duration', 'The duration of the collect operation of the metric reader.');

/** One reader's view: its last counter totals (delta) and its last collection. (Durations: ReaderHistograms.) */
class ReaderView {
  readonly reported = new Map<string, number>();
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
 * `otel.sdk.metric_reader.collection.duration` is timed here too (timeCollections), the SDK's is off.
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
  // The durations, recorded once and reported to each reader in its temporality (as the app's http duration is).
  private readonly histograms: Record<DurationKind, ReaderHistograms> = { export: new ReaderHistograms(DURATION_BOUNDS), collection: new ReaderHistograms(COLLECTION_BOUNDS) };
  private readonly cells: Record<DurationKind, Map<string, HistogramCell>> = { export: new Map(), collection: new Map() };
  // Per component type: readers are named `<type>/<n>` within this pipeline, as the SDK names them.
  private readonly readerCounts = new Map<string, number>();
  // A push reader's collection times go out once an exporter tried to deliver (an idle app still
  // exports nothing); a pull reader is scraped anyway, so its own are always served.
  private readonly pulled = new Set<TemporalityOf>();
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
        this.record('export', key, attrs, seconds);
      };
    }
  }

  /**
   * Times every collection of `reader` (its `collect` is wrapped on the instance, which is what
   * the periodic reader and the Prometheus reader call) as otel.sdk.metric_reader.collection.duration,
   * with `error.type` when the collection reported or threw an error. A collection is reported
   * from the next one on, as the SDK does.
   */
  timeCollections(reader: Collecting, componentType: string, push: boolean): void {
    if (!push) this.pulled.add(reader);
    const n = this.readerCounts.get(componentType) ?? 0;
    this.readerCounts.set(componentType, n + 1);
    const base: Attributes = { 'otel.component.type': componentType, 'otel.component.name': `${componentType}/${n}` };
    const typed = new Map<string, Attributes>();
    const note = (seconds: number, errorType: string | undefined) => {
      const key = errorType === undefined ? String(base['otel.component.name']) : `${base['otel.component.name']}\u0000${errorType}`;
      const attrs = () => {
        if (errorType === undefined) return base;
        let a = typed.get(errorType);
        if (!a) typed.set(errorType, a = { ...base, 'error.type': errorType });
        return a;
      };
      this.record('collection', key, attrs, seconds);
    };
    const collect = reader.collect.bind(reader);
    reader.collect = async (options) => {
      const started = performance.now();
      try {
        const result = await collect(options);
        const first = result.errors[0] as { name?: unknown } | undefined;
        note((performance.now() - started) / 1000, first === undefined ? undefined : typeof first?.name === 'string' ? first.name : 'collect_error');
        return result;
      } catch (err) {
        const name = (err as { name?: unknown } | undefined)?.name;
        note((performance.now() - started) / 1000, typeof name === 'string' ? name : 'collect_error');
        throw err;
      }
    };
  }

  private record(kind: DurationKind, key: string, attrs: () => Attributes, seconds: number): void {
    let cell = this.cells[kind].get(key);
    if (!cell) this.cells[kind].set(key, cell = this.histograms[kind].cell(attrs()));
    recordInto(cell, this.histograms[kind].bounds, seconds);
  }

  /** The metrics due to `reader` now (its first call starts its view), or undefined when none is. */
  collect(reader: TemporalityOf): ScopeMetrics | undefined {
    let view = this.views.find((v) => v.reader === reader);
    if (!view) this.views.push(view = new ReaderView(reader, this.start));
    const now = millisToHrTime(Date.now());
    const delta = (kind: InstrumentType) => reader.selectAggregationTemporality(kind) === AggregationTemporality.DELTA;
    const counterDelta = delta(InstrumentType.OBSERVABLE_COUNTER);
    const counterStart = counterDelta ? view.since : this.start;

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
      this.histograms.export.collect(reader, EXPORT_DURATION, now),
      this.attempted.size > 0 || this.pulled.has(reader) ? this.histograms.collection.collect(reader, COLLECTION_DURATION, now) : undefined,
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
