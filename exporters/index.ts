/**
 * `otel-metrics-pipeline/exporters`: the exporters and delivery decorators, for composing a
 * pipeline in code. (Registration, `ExportError` and the option types are in the main entry point.)
 */
export { ConsoleMetricExporter } from './console/console-exporter';
export { serializeConsole } from './console/console-serializer';
export { OtlpStdoutExporter } from './otlp/otlp-stdout-exporter';
export { createOtlpExporter } from './otlp/otlp-exporter';
export { readOtlpConfig } from './otlp/otlp-config';
export type { OtlpConfig } from './otlp/otlp-config';
export { PrometheusPullReader } from './prometheus/prometheus-pull-reader';
export type { PrometheusReaderOptions, PrometheusTlsOptions } from './prometheus/prometheus-pull-reader';
export { PrometheusSerializer } from './prometheus/prometheus-serializer';
export type { ExpositionFormat, PrometheusSerializerOptions } from './prometheus/prometheus-serializer';
export { createMetricsHandler } from './prometheus/metrics-handler';
export type { MetricsHandlerOptions, MetricsRequestHandler } from './prometheus/metrics-handler';
export { startMetricsServer } from './prometheus/metrics-server';
export type { MetricsServer, MetricsServerOptions, MetricsTlsOptions } from './prometheus/metrics-server';
export { PushgatewayExporter } from './prometheus/pushgateway-exporter';
export { readPushgatewayConfig } from './prometheus/pushgateway-config';
export type { PushgatewayConfig } from './prometheus/pushgateway-config';
export { InfluxMetricExporter } from './influx/influx-exporter';
export { readInfluxConfig } from './influx/influx-config';
export type { InfluxConfig } from './influx/influx-options';
export { createLineProtocolSerializer } from './influx/line-protocol-serializer';
export type { LineProtocolBatch, LineProtocolOptions, LineProtocolSerializer } from './influx/line-protocol-serializer';
export { withRetry } from './delivery/with-retry';
export type { RetryOptions } from './delivery/with-retry';
export { withQueue } from './delivery/with-queue';
export type { QueueOptions } from './delivery/queue-options';
export { withFallback } from './delivery/with-fallback';
export type { FallbackOptions } from './delivery/with-fallback';
export { withTimeout } from './delivery/with-timeout';
export type { TimeoutOptions } from './delivery/with-timeout';
export { CircuitBreaker } from './delivery/circuit-breaker';
export type { CircuitBreakerOptions } from './delivery/circuit-breaker';
