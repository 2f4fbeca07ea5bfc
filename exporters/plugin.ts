import type { AggregationSelector, AggregationTemporalitySelector, MetricProducer as SdkMetricProducer, MetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { EnvReader } from '../core/env-reader';
import type { Log } from '../core/log';
import type { TemporalityPreference } from '../core/temporality';
import type { DeliveryStats } from './delivery/delivery-stats';

/** What the pipeline hands an exporter's factory besides its own configuration. */
export interface ExporterContext {
  /** The name the exporter was selected by. */
  name: string;
  /** Counters of this exporter's delivery chain; transports may add to them (partial success). */
  stats: DeliveryStats;
  /** Push interval in ms (`OTEL_METRIC_EXPORT_INTERVAL`). */
  exportIntervalMillis: number;
  /** Time one export attempt may take, in ms (`OTEL_METRIC_EXPORT_TIMEOUT`). */
  exportTimeoutMillis: number;
  /** False in a cluster worker: a pull reader must not listen, the primary serves for all; default true. */
  serve?: boolean;
  /** The pipeline's log (its `OTEL_LOG_LEVEL`); an exporter's own lines go through it. Default: info level on stderr. */
  log?: Log;
  /**
   * Metric data the pipeline builds outside SDK instruments (its self-metrics), as SDK
   * MetricProducers: a pull plug-in passes them to its MetricReader (`metricProducers`) so its
   * scrapes carry them too. Push exporters need nothing: their reader gets them.
   */
  metricProducers?: SdkMetricProducer[];
}

/**
 * One destination, built-in or the user's, as the pipeline sees it. `readConfig` reads the
 * exporter's own `OTEL_EXPORTER_<NAME>_*` variables (a bad value is one line through
 * `env.invalid` and a fallback) and lays the code options for it on top (a bad code option
 * throws ConfigError). Temporality and aggregation are declared here, before any exporter
 * exists, because the reader needs them before the first export. Push exporters get the
 * delivery chain (timeout, retry, fallback, queue); they must not retry on their own.
 */
export interface ExporterPlugin<C = unknown> {
  /** The name `OTEL_METRICS_EXPORTER` selects it by; case-insensitive. */
  readonly name: string;
  /** `push`: exported on an interval through the delivery chain; `pull`: a MetricReader (scraped). */
  readonly kind: 'push' | 'pull';
  /** Reads its env variables and its code options (`startMetrics({ exporterOptions: { [name]: … } })`). */
  readConfig?(env: EnvReader, options: unknown): C;
  /** Temporality: a preference, or a selector built from the config; default cumulative. */
  readonly temporality?: TemporalityPreference | ((config: C) => AggregationTemporalitySelector);
  /** Aggregation per instrument kind, from the config; default the SDK's. */
  readonly aggregation?: (config: C) => AggregationSelector;
  /** Where it sends, for log lines (credentials removed), e.g. the URL; default the name. */
  readonly destination?: (config: C) => string;
  /** Builds the push exporter or the pull reader. */
  create(config: C, context: ExporterContext): PushMetricExporter | MetricReader;
}

/** The older registration form: a factory given the core configuration; always read as cumulative. */
export type ExporterFactory = (config: unknown, context: ExporterContext) => PushMetricExporter | MetricReader;
