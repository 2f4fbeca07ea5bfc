import type { Attributes, Meter } from '@opentelemetry/api';
import type { DeliveryStats } from '../../exporters/delivery/delivery-stats';

const COMPONENT_TYPE = 'otel_metrics_pipeline_push_exporter';

/**
 * The pipeline's own metrics, exported through itself. Names follow the OpenTelemetry SDK
 * self-observability conventions where they exist
 * (https://opentelemetry.io/docs/specs/semconv/otel/sdk-metrics/); the queue, retry and drop
 * figures have no convention yet and use the `otel_metrics_pipeline.` namespace.
 * (`otel.sdk.metric_reader.collection.duration` comes from the SDK itself.)
 */
export function registerSelfMetrics(meter: Meter, stats: DeliveryStats[]): void {
  // Made once per exporter (and per error type): the collection reads them every cycle.
  const base = new Map(stats.map((s) => [s, { 'otel.component.type': COMPONENT_TYPE, 'otel.component.name': s.name } as Attributes]));
  const typed = new Map<string, Attributes>();
  const withType = (s: DeliveryStats, key: 'error.type' | 'reason', type: string): Attributes => {
    const id = `${s.name}\u0000${key}\u0000${type}`;
    let a = typed.get(id);
    if (!a) typed.set(id, a = { ...base.get(s), [key]: type });
    return a;
  };
  // Report an exporter only once it has tried to deliver something: an app that records nothing
  // then exports nothing, and never loads a transport.
  const attempted = new Set<DeliveryStats>();
  const busy = (s: DeliveryStats) => attempted.has(s) || s.exportedPoints > 0 || s.failedPoints.size > 0 || s.queueSize > 0;

  const duration = meter.createHistogram('otel.sdk.exporter.operation.duration', {
    unit: 's',
    description: 'Duration of one export attempt of a batch of metric data points.',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] },
  });
  for (const s of stats) {
    s.onAttempt = (seconds, errorType) => {
      attempted.add(s);
      duration.record(seconds, errorType ? withType(s, 'error.type', errorType) : base.get(s));
    };
  }

  const exported = meter.createObservableCounter('otel.sdk.exporter.metric_data_point.exported', {
    unit: '{data_point}',
    description: 'Metric data points whose export finished: delivered, or given up on (with error.type).',
  });
  const dropped = meter.createObservableCounter('otel_metrics_pipeline.dropped', {
    unit: '{data_point}',
    description: 'Metric data points given up on, by reason (queue_full, shutdown, an HTTP status or gRPC code, …).',
  });
  const rejected = meter.createObservableCounter('otel_metrics_pipeline.rejected', {
    unit: '{data_point}',
    description: 'Metric data points the destination rejected in a partial-success response.',
  });
  const retries = meter.createObservableCounter('otel_metrics_pipeline.retries', {
    unit: '{attempt}',
    description: 'Export attempts that were retries.',
  });
  const size = meter.createObservableGauge('otel_metrics_pipeline.queue.size', { unit: '{batch}', description: 'Batches waiting or being sent.' });
  const capacity = meter.createObservableGauge('otel_metrics_pipeline.queue.capacity', { unit: '{batch}', description: 'Most batches the queue holds.' });
  const bytes = meter.createObservableGauge('otel_metrics_pipeline.queue.bytes', { unit: 'By', description: 'Bytes the queue holds (estimated in memory, exact on disk).' });
  const maxBytes = meter.createObservableGauge('otel_metrics_pipeline.queue.max_bytes', { unit: 'By', description: 'Most bytes the queue holds.' });
  // One batch callback, not one per instrument: the SDK runs each callback under a timer and a
  // Promise.race of its own, on every collection.
  meter.addBatchObservableCallback((r) => {
    for (const s of stats) {
      if (!busy(s)) continue;
      const a = base.get(s)!;
      r.observe(exported, s.exportedPoints, a);
      for (const [type, n] of s.failedPoints) {
        r.observe(exported, n, withType(s, 'error.type', type));
        r.observe(dropped, n, withType(s, 'reason', type));
      }
      r.observe(rejected, s.rejectedPoints, a);
      r.observe(retries, s.retries, a);
      r.observe(size, s.queueSize, a);
      r.observe(capacity, s.queueCapacity, a);
      r.observe(bytes, s.queueBytes, a);
      r.observe(maxBytes, s.queueMaxBytes, a);
    }
  }, [exported, dropped, rejected, retries, size, capacity, bytes, maxBytes]);
}
