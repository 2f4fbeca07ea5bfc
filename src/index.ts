/** The whole public API of otel-metrics-pipeline. */
export { startMetrics } from './start';
export type { MetricsHandle } from './start';
export type {
  ExporterSpec,
  HistogramAggregation,
  LogLevelName,
  MetricsOptions,
  OtlpOptions,
  OtlpProtocol,
  QueuePolicyOptions,
  RetryPolicyOptions,
  TemporalityPreference,
} from './config/options';
export { ConfigError } from './errors';
export { registerExporter, exporterNames } from '../exporters/registry';
export type { ExporterContext, ExporterFactory } from '../exporters/registry';
export type { ResolvedConfig } from './config/resolve-config';
export type { OtlpConfig } from './config/otlp-config';
