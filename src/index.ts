/**
 * `otel-metrics-pipeline`: start the pipeline, its option types, and registration of your own
 * exporters and producers. Exporters and delivery decorators for composing by hand live in
 * `otel-metrics-pipeline/exporters`; producers, collectors, pools and health endpoints in
 * `otel-metrics-pipeline/instrumentation`. Each name is exported from one entry point only.
 */
export { startMetrics } from './start';
export type { MetricsHandle } from './start';
export type { MetricsOptions } from './metrics-options';
export type { BuiltInExporterName, BuiltInExporterOptions, ExporterName, ExporterOptions, PluginExporterOptions } from './config/exporter-options';
export type { InstrumentationName, InstrumentationOptions, PluginInstrumentationOptions } from './config/instrumentation-options';
export type { CoreOptions, ExporterSpec, LogLevelName } from './config/core-options';
export type { QueuePolicyOptions, RetryPolicyOptions } from '../exporters/delivery/delivery-options';
export type { TemporalityPreference } from '../core/temporality';
export type { HistogramAggregation } from '../core/histogram-aggregation';
export { EnvReader } from '../core/env-reader';
export { ConfigError } from '../core/errors';
export { ExportError } from '../exporters/delivery/export-error';
export type { ExportErrorDetails } from '../exporters/delivery/export-error';
export { registerExporter, exporterNames } from '../exporters/registry';
export type { ExporterContext, ExporterFactory, ExporterPlugin } from '../exporters/plugin';
export type { OtlpOptions, OtlpProtocol } from '../exporters/otlp/otlp-options';
export type { PrometheusOptions } from '../exporters/prometheus/prometheus-config';
export type { InfluxApi, InfluxOptions } from '../exporters/influx/influx-options';
export type { Precision as InfluxPrecision } from '../exporters/influx/precision';
export type { PushgatewayOptions } from '../exporters/prometheus/pushgateway-config';
export type { TranslationStrategy } from '../exporters/prometheus/translation-strategy';
export type { MetricProducer } from '../instrumentation/producer';
export type { DirectInstrument, DirectSource, DirectSources, ProducerContext } from '../core/direct-source';
export { registerProducer, instrumentationNames } from '../instrumentation/registry';
export type { ProducerFactory } from '../instrumentation/registry';
export { getHealth } from '../instrumentation/health/health';
export type { ExporterHealth, HealthReport, HealthThresholds } from '../instrumentation/health/health-report';
export type { HealthOptions } from '../instrumentation/health/health-config';
export type { ClusterOptions, GaugeAggregation } from './config/cluster-options';
