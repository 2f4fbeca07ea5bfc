import type { Attributes } from '@opentelemetry/api';
import { DiagLogLevel } from '@opentelemetry/api';
import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import { LOG_LEVELS } from '../diag';
import { ConfigError } from '../errors';
import { EnvReader, type WarnFn } from './env-reader';
import { parseKeyValueList } from './key-value-list';
import {
  FALLBACK_DEFAULTS,
  HISTOGRAM_AGGREGATIONS,
  QUEUE_DEFAULTS,
  RETRY_DEFAULTS,
  TEMPORALITY_PREFERENCES,
  type ExporterSpec,
  type HistogramAggregation,
  type MetricsOptions,
  type QueuePolicyOptions,
  type RetryPolicyOptions,
  type TemporalityPreference,
} from './options';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { resolveOtlpConfig, type OtlpConfig } from './otlp-config';

/** Everything the pipeline is built from, after code options are laid over the environment. */
export interface ResolvedConfig {
  disabled: boolean;
  logLevel: DiagLogLevel;
  resourceAttributes: Attributes;
  exporters: ExporterSpec[];
  exportIntervalMillis: number;
  exportTimeoutMillis: number;
  otlp: OtlpConfig;
  temporalityPreference: TemporalityPreference;
  histogramAggregation: HistogramAggregation;
  prometheus: { host: string; port: number };
  /** Retry policy for push exporters; undefined when turned off. */
  retry?: Required<RetryPolicyOptions>;
  /** Queue for push exporters; undefined when turned off. */
  queue?: Required<Omit<QueuePolicyOptions, 'directory'>> & { directory?: string };
  fallbackExporter?: string | PushMetricExporter;
  fallbackFailureThreshold: number;
  fallbackProbeIntervalMillis: number;
  selfObservability: boolean;
  views: ViewOptions[];
  flushOnExit: boolean;
  setGlobal: boolean;
}

/** Spec defaults, in ms. */
export const DEFAULT_EXPORT_INTERVAL_MILLIS = 60_000;
/** Spec default, in ms. */
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 30_000;

/** Reads `OTEL_SDK_DISABLED` and `OTEL_LOG_LEVEL` alone, so the preload can stop before loading anything else. */
export function resolveEarly(env: EnvReader, options: MetricsOptions = {}): { disabled: boolean; logLevel: DiagLogLevel } {
  const disabled = options.disabled ?? env.bool('OTEL_SDK_DISABLED');
  const levelName = options.logLevel ?? env.oneOf('OTEL_LOG_LEVEL', Object.keys(LOG_LEVELS), 'info');
  const logLevel = LOG_LEVELS[levelName];
  if (logLevel === undefined) throw new ConfigError(`logLevel must be one of ${Object.keys(LOG_LEVELS).join(', ')}`);
  return { disabled, logLevel };
}

/**
 * Lays code options over the environment. Invalid env values warn (one line each) and fall
 * back; invalid code options throw ConfigError.
 */
export function resolveConfig(options: MetricsOptions = {}, onWarn?: WarnFn): ResolvedConfig {
  const env = new EnvReader(options.env ?? process.env, onWarn);
  const { disabled, logLevel } = resolveEarly(env, options);
  validate(options);
  const exportIntervalMillis = options.exportIntervalMillis ?? env.millis('OTEL_METRIC_EXPORT_INTERVAL', DEFAULT_EXPORT_INTERVAL_MILLIS);
  let exportTimeoutMillis = options.exportTimeoutMillis ?? env.millis('OTEL_METRIC_EXPORT_TIMEOUT', DEFAULT_EXPORT_TIMEOUT_MILLIS);
  if (exportTimeoutMillis > exportIntervalMillis) {
    // An export may not outlive its interval (the SDK's reader rejects that); warn only when both were chosen.
    const explicit = options.exportTimeoutMillis !== undefined || env.string('OTEL_METRIC_EXPORT_TIMEOUT') !== undefined;
    if (explicit) env.warn(`OTEL_METRIC_EXPORT_TIMEOUT=${exportTimeoutMillis} is longer than the export interval; using ${exportIntervalMillis}`);
    exportTimeoutMillis = exportIntervalMillis;
  }
  return {
    disabled,
    logLevel,
    resourceAttributes: resourceAttributes(env, options),
    exporters: options.exporters ?? exportersFromEnv(env),
    exportIntervalMillis,
    exportTimeoutMillis,
    otlp: resolveOtlpConfig(env, options.otlp),
    temporalityPreference: options.temporalityPreference
      ?? env.oneOf('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', TEMPORALITY_PREFERENCES, 'cumulative'),
    histogramAggregation: options.histogramAggregation
      ?? env.oneOf('OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION', HISTOGRAM_AGGREGATIONS, 'explicit_bucket_histogram'),
    prometheus: {
      host: options.prometheus?.host ?? env.string('OTEL_EXPORTER_PROMETHEUS_HOST') ?? 'localhost',
      port: options.prometheus?.port ?? env.port('OTEL_EXPORTER_PROMETHEUS_PORT', 9464),
    },
    retry: options.retry === false ? undefined : {
      initialIntervalMillis: options.retry?.initialIntervalMillis ?? env.millis('OTEL_METRICS_RETRY_INITIAL_INTERVAL', RETRY_DEFAULTS.initialIntervalMillis),
      maxIntervalMillis: options.retry?.maxIntervalMillis ?? env.millis('OTEL_METRICS_RETRY_MAX_INTERVAL', RETRY_DEFAULTS.maxIntervalMillis),
      maxElapsedTimeMillis: options.retry?.maxElapsedTimeMillis ?? env.millis('OTEL_METRICS_RETRY_MAX_ELAPSED_TIME', RETRY_DEFAULTS.maxElapsedTimeMillis, true),
    },
    queue: options.queue === false ? undefined : {
      maxBatches: options.queue?.maxBatches ?? env.count('OTEL_METRICS_QUEUE_SIZE', QUEUE_DEFAULTS.maxBatches),
      maxBytes: options.queue?.maxBytes ?? env.count('OTEL_METRICS_QUEUE_MAX_BYTES', QUEUE_DEFAULTS.maxBytes),
      directory: options.queue?.directory ?? env.string('OTEL_METRICS_QUEUE_DIR'),
    },
    fallbackExporter: options.fallbackExporter ?? env.string('OTEL_METRICS_FALLBACK_EXPORTER')?.toLowerCase(),
    fallbackFailureThreshold: options.fallbackFailureThreshold ?? env.count('OTEL_METRICS_FALLBACK_FAILURE_THRESHOLD', FALLBACK_DEFAULTS.failureThreshold),
    fallbackProbeIntervalMillis: options.fallbackProbeIntervalMillis ?? env.millis('OTEL_METRICS_FALLBACK_PROBE_INTERVAL', FALLBACK_DEFAULTS.probeIntervalMillis),
    selfObservability: options.selfObservability ?? !env.bool('OTEL_METRICS_SELF_OBSERVABILITY_DISABLED'),
    views: options.views ?? [],
    flushOnExit: options.flushOnExit ?? true,
    setGlobal: options.setGlobal ?? true,
  };
}

function exportersFromEnv(env: EnvReader): string[] {
  const names = env.list('OTEL_METRICS_EXPORTER');
  if (names === undefined) return ['otlp'];
  // "none" alone means no exporter; mixed with others it is simply ignored (spec).
  return [...new Set(names)].filter((n) => n !== 'none');
}

function resourceAttributes(env: EnvReader, options: MetricsOptions): Attributes {
  const attrs: Attributes = {};
  const raw = env.string('OTEL_RESOURCE_ATTRIBUTES');
  if (raw !== undefined) {
    const { values, problems } = parseKeyValueList(raw);
    // The spec says to discard the whole variable on any error rather than guess.
    if (problems.length) env.invalid('OTEL_RESOURCE_ATTRIBUTES', raw, `key=value pairs (${problems.join('; ')})`, 'no attributes from it');
    else Object.assign(attrs, values);
  }
  Object.assign(attrs, options.resourceAttributes);
  const serviceName = options.serviceName ?? env.string('OTEL_SERVICE_NAME');
  if (serviceName !== undefined) attrs['service.name'] = serviceName;
  return attrs;
}

function validate(o: MetricsOptions): void {
  for (const key of ['exportIntervalMillis', 'exportTimeoutMillis'] as const) {
    const v = o[key];
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new ConfigError(`${key} must be a whole number > 0, got ${v}`);
  }
  if (o.temporalityPreference !== undefined && !TEMPORALITY_PREFERENCES.includes(o.temporalityPreference)) {
    throw new ConfigError(`temporalityPreference must be one of ${TEMPORALITY_PREFERENCES.join(', ')}`);
  }
  if (o.histogramAggregation !== undefined && !HISTOGRAM_AGGREGATIONS.includes(o.histogramAggregation)) {
    throw new ConfigError(`histogramAggregation must be one of ${HISTOGRAM_AGGREGATIONS.join(', ')}`);
  }
  if (o.retry) {
    for (const [k, v] of Object.entries(o.retry)) {
      if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw new ConfigError(`retry.${k} must be a whole number of ms >= 0, got ${v}`);
    }
  }
  if (o.queue) {
    for (const k of ['maxBatches', 'maxBytes'] as const) {
      const v = o.queue[k];
      if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new ConfigError(`queue.${k} must be a whole number > 0, got ${v}`);
    }
  }
  for (const k of ['fallbackFailureThreshold', 'fallbackProbeIntervalMillis'] as const) {
    const v = o[k];
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new ConfigError(`${k} must be a whole number > 0, got ${v}`);
  }
  const port = o.prometheus?.port;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new ConfigError(`prometheus.port must be 1-65535, got ${port}`);
  }
}
