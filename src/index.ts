/** The whole public API of otel-metrics-pipeline. */
export { startMetrics } from './start';
export type { MetricsHandle } from './start';
export type { MetricsOptions } from './metrics-options';
export type { CoreOptions, ExporterSpec, LogLevelName } from './config/core-options';
export type { QueuePolicyOptions, RetryPolicyOptions } from './config/delivery-options';
export type { TemporalityPreference } from './config/temporality';
export type { HistogramAggregation } from './config/histogram-aggregation';
export { EnvReader } from './config/env-reader';
export { ConfigError } from './errors';
export { ExportError } from './export-error';
export type { ExportErrorDetails } from './export-error';
export { registerExporter, exporterNames } from '../exporters/registry';
export type { ExporterContext, ExporterFactory, ExporterPlugin } from '../exporters/plugin';
export type { OtlpOptions, OtlpProtocol } from '../exporters/otlp/otlp-options';
export type { PrometheusOptions } from '../exporters/prometheus/prometheus-config';
export type { InfluxApi, InfluxOptions } from '../exporters/influx/influx-options';
export type { Precision as InfluxPrecision } from '../exporters/influx/precision';
