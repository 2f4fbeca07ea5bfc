/** `otel-metrics-pipeline/exporters`: the exporters, for composing a pipeline in code. */
export { ConsoleMetricExporter } from './console-exporter';
export type { WriteFn } from './console-exporter';
export { OtlpStdoutExporter } from './otlp-stdout-exporter';
export { buildOtlpExporter, createOtlpExporter } from './otlp-exporter';
export { LazyExporter } from './lazy-exporter';
export type { LazyExporterOptions } from './lazy-exporter';
export { createPrometheusReader } from './prometheus-reader';
export { serializeConsole } from './console-serializer';
export { registerExporter, exporterNames, getExporterFactory } from './registry';
export type { ExporterFactory } from './registry';
