import type { OtlpOptions } from '../../exporters/otlp/otlp-options';
import type { PrometheusOptions } from '../../exporters/prometheus/prometheus-config';
import type { PushgatewayOptions } from '../../exporters/prometheus/pushgateway-config';
import type { InfluxOptions } from '../../exporters/influx/influx-options';

/** Code options of each built-in exporter, by the name `exporters` selects it by. */
export interface BuiltInExporterOptions {
  /** OTLP over HTTP or gRPC; env `OTEL_EXPORTER_OTLP_[METRICS_]*`. */
  otlp?: OtlpOptions;
  /** OTLP JSON lines on stdout: only the temporality and histogram selectors apply. */
  'otlp/stdout'?: Pick<OtlpOptions, 'temporalityPreference' | 'histogramAggregation'>;
  /** Prometheus pull endpoint; env `OTEL_EXPORTER_PROMETHEUS_*`; default `localhost:9464`. */
  prometheus?: PrometheusOptions;
  /** Prometheus Pushgateway; env `OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_*`. */
  'prometheus/pushgateway'?: PushgatewayOptions;
  /** InfluxDB line protocol; env `OTEL_EXPORTER_INFLUXDB_*`. */
  influxdb?: InfluxOptions;
  /** Text on stdout; takes no options. */
  console?: Record<string, never>;
}

/**
 * Code options of your own exporter plug-ins, by name: empty until you augment it, so a
 * misspelt built-in name still fails to compile.
 * ```ts
 * declare module 'otel-metrics-pipeline' {
 *   interface PluginExporterOptions { kafka: { topic: string } }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PluginExporterOptions {}

/** `exporterOptions`: the built-ins' options plus those of the plug-ins you declared. */
export type ExporterOptions = BuiltInExporterOptions & { [K in keyof PluginExporterOptions]?: PluginExporterOptions[K] };

/** The names of the exporters that ship with the pipeline (`none` selects none). */
export type BuiltInExporterName = keyof BuiltInExporterOptions | 'none';

/** A name `exporters` and `fallbackExporter` accept: a built-in or a plug-in declared in {@link PluginExporterOptions}. */
export type ExporterName = BuiltInExporterName | (keyof PluginExporterOptions & string);

