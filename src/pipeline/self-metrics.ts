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
  const attrs = (s: DeliveryStats): Attributes => ({ 'otel.component.type': COMPONENT_TYPE, 'otel.component.name': s.name });
  // Report an exporter only once it has tried to deliver something: an app that records nothing
  // then exports nothing, and never loads a transport.
  const attempted = new Set<DeliveryStats>();
  const busy = (s: DeliveryStats) => attempted.has(s) || s.exportedPoints > 0 || s.failedPoints.size > 0 || s.queueSize > 0;
  const all = { [Symbol.iterator]: () => stats.filter(busy).values() };

  const duration = meter.createHistogram('otel.sdk.exporter.operation.duration', {
    unit: 's',
    description: 'Duration of one export attempt of a batch of metric data points.',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] },
  });
  for (const s of stats) {
    s.onAttempt = (seconds, errorType) => {
      attempted.add(s);
      duration.record(seconds, errorType ? { ...attrs(s), 'error.type': errorType } : attrs(s));
    };
  }

  meter.createObservableCounter('otel.sdk.exporter.metric_data_point.exported', {
    unit: '{data_point}',
    description: 'Metric data points whose export finished: delivered, or given up on (with error.type).',
  }).addCallback((r) => {
    for (const s of all) {
      r.observe(s.exportedPoints, attrs(s));
      for (const [type, n] of s.failedPoints) r.observe(n, { ...attrs(s), 'error.type': type });
    }
  });
  meter.createObservableCounter('otel_metrics_pipeline.dropped', {
    unit: '{data_point}',
    description: 'Metric data points given up on, by reason (queue_full, shutdown, an HTTP status or gRPC code, …).',
  }).addCallback((r) => {
    for (const s of all) for (const [type, n] of s.failedPoints) r.observe(n, { ...attrs(s), reason: type });
  });
  meter.createObservableCounter('otel_metrics_pipeline.rejected', {
    unit: '{data_point}',
    description: 'Metric data points the destination rejected in a partial-success response.',
  }).addCallback((r) => { for (const s of all) r.observe(s.rejectedPoints, attrs(s)); });
  meter.createObservableCounter('otel_metrics_pipeline.retries', {
    unit: '{attempt}',
    description: 'Export attempts that were retries.',
  }).addCallback((r) => { for (const s of all) r.observe(s.retries, attrs(s)); });
  meter.createObservableGauge('otel_metrics_pipeline.queue.size', { unit: '{batch}', description: 'Batches waiting or being sent.' })
    .addCallback((r) => { for (const s of all) r.observe(s.queueSize, attrs(s)); });
  meter.createObservableGauge('otel_metrics_pipeline.queue.capacity', { unit: '{batch}', description: 'Most batches the queue holds.' })
    .addCallback((r) => { for (const s of all) r.observe(s.queueCapacity, attrs(s)); });
  meter.createObservableGauge('otel_metrics_pipeline.queue.bytes', { unit: 'By', description: 'Bytes the queue holds (estimated in memory, exact on disk).' })
    .addCallback((r) => { for (const s of all) r.observe(s.queueBytes, attrs(s)); });
  meter.createObservableGauge('otel_metrics_pipeline.queue.max_bytes', { unit: 'By', description: 'Most bytes the queue holds.' })
    .addCallback((r) => { for (const s of all) r.observe(s.queueMaxBytes, attrs(s)); });
}
