import type { ClusterOptions } from './config/cluster-options';
import type { CoreOptions } from './config/core-options';
import type { HistogramAggregation } from '../core/histogram-aggregation';
import type { TemporalityPreference } from '../core/temporality';
import type { OtlpOptions } from '../exporters/otlp/otlp-options';
import type { PrometheusOptions } from '../exporters/prometheus/prometheus-config';
import type { ExporterOptions } from './config/exporter-options';
import type { InstrumentationName, InstrumentationOptions } from './config/instrumentation-options';

/** Options for `startMetrics`: the core's, plus each exporter's own; every field overrides the env var it names. */
export interface MetricsOptions extends CoreOptions {
  /** @deprecated Use `exporterOptions.otlp`; giving both is a ConfigError. OTLP exporter settings; env `OTEL_EXPORTER_OTLP_[METRICS_]*`. */
  otlp?: OtlpOptions;
  /** @deprecated Use `exporterOptions.prometheus`; giving both is a ConfigError. Prometheus pull endpoint; env `OTEL_EXPORTER_PROMETHEUS_*`. */
  prometheus?: PrometheusOptions;
  /** Temporality for `otlp` and `otlp/stdout` unless their own options set it; env `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`; default `cumulative`. */
  temporalityPreference?: TemporalityPreference;
  /** Histogram aggregation for `otlp` and `otlp/stdout` unless their own options set it; env `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`; default explicit buckets. */
  histogramAggregation?: HistogramAggregation;
  /** Options of each exporter by its name (e.g. `{ influxdb: { … } }`), passed to its `readConfig`; an unknown name or key throws ConfigError; default none. */
  exporterOptions?: ExporterOptions;
  /** Metric producers to start: `system`, `process`, `runtime`, `http`, `all`, `none` or yours; env `OTEL_METRICS_INSTRUMENTATIONS`; default `process,runtime,http`. */
  instrumentations?: InstrumentationName[];
  /** Options of each producer by its name, e.g. `{ system: { … } }`; an unknown name or key throws ConfigError; default none. */
  instrumentationOptions?: InstrumentationOptions;
  /** `node:cluster` and `worker_threads`: primary-served Prometheus, host figures once, thread providers; env `OTEL_METRICS_CLUSTER*`, `OTEL_METRICS_THREADS`; default all on. */
  cluster?: ClusterOptions;
}
