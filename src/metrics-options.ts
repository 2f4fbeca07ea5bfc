import type { ClusterOptions } from './config/cluster-options';
import type { CoreOptions } from './config/core-options';
import type { HistogramAggregation } from '../core/histogram-aggregation';
import type { TemporalityPreference } from '../core/temporality';
import type { OtlpOptions } from '../exporters/otlp/otlp-options';
import type { PrometheusOptions } from '../exporters/prometheus/prometheus-config';

/** Options for `startMetrics`: the core's, plus each exporter's own; every field overrides the env var it names. */
export interface MetricsOptions extends CoreOptions {
  /** OTLP exporter settings (`otlp`); env `OTEL_EXPORTER_OTLP_[METRICS_]*`. */
  otlp?: OtlpOptions;
  /** Prometheus pull endpoint (`prometheus`): host (default `localhost`), port (default 9464), naming, auth and TLS; env `OTEL_EXPORTER_PROMETHEUS_*`. */
  prometheus?: PrometheusOptions;
  /** Temporality for `otlp` and `otlp/stdout`; env `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`; default `cumulative`. */
  temporalityPreference?: TemporalityPreference;
  /** Histogram aggregation for `otlp` and `otlp/stdout`; env `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`; default explicit buckets. */
  histogramAggregation?: HistogramAggregation;
  /** Options of any exporter by its name (e.g. `{ influxdb: { … } }`), passed to its `readConfig`; default none. */
  exporterOptions?: Record<string, unknown>;
  /** Metric producers to start: `system`, `process`, `runtime`, `http`, `all` or `none`; env `OTEL_METRICS_INSTRUMENTATIONS`; default `process,runtime,http`. */
  instrumentations?: string[];
  /** Options of each producer by its name, e.g. `{ system: { … } }`; default none. */
  instrumentationOptions?: Record<string, unknown>;
  /** `node:cluster` and `worker_threads`: primary-served Prometheus, host figures once, thread providers; env `OTEL_METRICS_CLUSTER*`, `OTEL_METRICS_THREADS`; default all on. */
  cluster?: ClusterOptions;
}

/** The code options for the exporter selected as `name`: `exporterOptions[name]`, else the dedicated field. */
export function exporterOptionsFor(name: string, options: MetricsOptions): unknown {
  const explicit = options.exporterOptions?.[name];
  if (explicit !== undefined) return explicit;
  const selectors = { temporalityPreference: options.temporalityPreference, histogramAggregation: options.histogramAggregation };
  if (name === 'otlp') return { ...selectors, ...options.otlp };
  if (name === 'otlp/stdout') return { ...selectors, ...options.otlp };
  if (name === 'prometheus') return options.prometheus;
  return undefined;
}
