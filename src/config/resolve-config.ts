import type { Attributes } from '@opentelemetry/api';
import { DiagLogLevel } from '@opentelemetry/api';
import type { PushMetricExporter, ViewOptions } from '@opentelemetry/sdk-metrics';
import { LOG_LEVELS } from '../../core/diag';
import { ConfigError } from '../../core/errors';
import type { CoreOptions, ExporterSpec } from './core-options';
import { FALLBACK_DEFAULTS, QUEUE_DEFAULTS, RETRY_DEFAULTS, queuePolicy, retryPolicy, wholeMillis, type QueuePolicyOptions, type RetryPolicyOptions } from '../../exporters/delivery/delivery-options';
import { EnvReader, type WarnFn } from '../../core/env-reader';
import { parseKeyValueList } from '../../core/key-value-list';
import { readViewsFile } from './views-file';

/** How every push exporter's delivery chain behaves. */
export interface DeliveryPolicy {
  /** Retry policy; undefined when turned off. */
  retry?: Required<RetryPolicyOptions>;
  /** Sending queue; undefined when turned off. */
  queue?: Required<Omit<QueuePolicyOptions, 'directory'>> & { directory?: string };
  fallbackExporter?: string | PushMetricExporter;
  fallbackFailureThreshold: number;
  fallbackProbeIntervalMillis: number;
}

/** What the core is built from, after code options are laid over the environment; per-exporter settings are read by each exporter. */
export interface ResolvedConfig {
  disabled: boolean;
  logLevel: DiagLogLevel;
  resourceAttributes: Attributes;
  /** Names as given in code or env (any string: the env is not typed), or instances. */
  exporters: Array<string | Exclude<ExporterSpec, string>>;
  exportIntervalMillis: number;
  /** The reader's export timeout: OTEL_METRIC_EXPORT_TIMEOUT capped at the interval. */
  exportTimeoutMillis: number;
  /** One export attempt's bound: OTEL_METRIC_EXPORT_TIMEOUT as given (the queue decouples it from the interval). */
  attemptTimeoutMillis: number;
  /** How long exit may wait for delivery, in ms (OTEL_METRICS_SHUTDOWN_TIMEOUT). */
  shutdownTimeoutMillis: number;
  delivery: DeliveryPolicy;
  selfObservability: boolean;
  views: ViewOptions[];
  flushOnExit: boolean;
  setGlobal: boolean;
}

/** Spec default, in ms. */
export const DEFAULT_EXPORT_INTERVAL_MILLIS = 60_000;
/** Spec default, in ms. */
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 30_000;
/** How long exit waits for delivery by default, in ms: a black-holed collector still exits within 5 s. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 3000;

/** Reads `OTEL_SDK_DISABLED` and `OTEL_LOG_LEVEL` alone, so the preload can stop before loading anything else. */
export function resolveEarly(env: EnvReader, options: CoreOptions = {}): { disabled: boolean; logLevel: DiagLogLevel } {
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
export function resolveConfig(options: CoreOptions = {}, env: EnvReader | WarnFn = new EnvReader(options.env ?? process.env)): ResolvedConfig {
  if (typeof env === 'function') env = new EnvReader(options.env ?? process.env, env);
  const { disabled, logLevel } = resolveEarly(env, options);
  validate(options);
  const exportIntervalMillis = options.exportIntervalMillis ?? env.millis('OTEL_METRIC_EXPORT_INTERVAL', DEFAULT_EXPORT_INTERVAL_MILLIS);
  const attemptTimeoutMillis = options.exportTimeoutMillis ?? env.millis('OTEL_METRIC_EXPORT_TIMEOUT', DEFAULT_EXPORT_TIMEOUT_MILLIS);
  let exportTimeoutMillis = attemptTimeoutMillis;
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
    attemptTimeoutMillis,
    shutdownTimeoutMillis: options.shutdownTimeoutMillis ?? env.millis('OTEL_METRICS_SHUTDOWN_TIMEOUT', DEFAULT_SHUTDOWN_TIMEOUT_MILLIS, true),
    delivery: deliveryPolicy(env, options),
    selfObservability: options.selfObservability ?? !env.bool('OTEL_METRICS_SELF_OBSERVABILITY_DISABLED'),
    // The operator's file adds to the code's views: both apply.
    views: [...(options.views ?? []), ...readViewsFile(env)],
    flushOnExit: options.flushOnExit ?? true,
    setGlobal: options.setGlobal ?? true,
  };
}

function deliveryPolicy(env: EnvReader, options: CoreOptions): DeliveryPolicy {
  const r = options.retry === false ? undefined : options.retry;
  const q = options.queue === false ? undefined : options.queue;
  return {
    retry: options.retry === false ? undefined : retryPolicy({
      initialIntervalMillis: r?.initialIntervalMillis ?? env.millis('OTEL_METRICS_RETRY_INITIAL_INTERVAL', RETRY_DEFAULTS.initialIntervalMillis),
      maxIntervalMillis: r?.maxIntervalMillis ?? env.millis('OTEL_METRICS_RETRY_MAX_INTERVAL', RETRY_DEFAULTS.maxIntervalMillis),
      maxElapsedTimeMillis: r?.maxElapsedTimeMillis ?? env.millis('OTEL_METRICS_RETRY_MAX_ELAPSED_TIME', RETRY_DEFAULTS.maxElapsedTimeMillis, true),
    }),
    queue: options.queue === false ? undefined : queuePolicy({
      maxBatches: q?.maxBatches ?? env.count('OTEL_METRICS_QUEUE_SIZE', QUEUE_DEFAULTS.maxBatches),
      maxBytes: q?.maxBytes ?? env.count('OTEL_METRICS_QUEUE_MAX_BYTES', QUEUE_DEFAULTS.maxBytes),
      directory: q?.directory ?? env.string('OTEL_METRICS_QUEUE_DIR'),
    }),
    fallbackExporter: options.fallbackExporter ?? env.string('OTEL_METRICS_FALLBACK_EXPORTER')?.toLowerCase(),
    fallbackFailureThreshold: options.fallbackFailureThreshold ?? env.count('OTEL_METRICS_FALLBACK_FAILURE_THRESHOLD', FALLBACK_DEFAULTS.failureThreshold),
    fallbackProbeIntervalMillis: options.fallbackProbeIntervalMillis ?? env.millis('OTEL_METRICS_FALLBACK_PROBE_INTERVAL', FALLBACK_DEFAULTS.probeIntervalMillis),
  };
}

function exportersFromEnv(env: EnvReader): string[] {
  const names = env.list('OTEL_METRICS_EXPORTER');
  if (names === undefined) return ['otlp'];
  if (names.length === 0) {
    // Only commas and blanks: a typo, not a choice; "none" is how to ask for no exporter.
    env.invalid('OTEL_METRICS_EXPORTER', env.string('OTEL_METRICS_EXPORTER')!, 'exporter names, or "none"', 'otlp');
    return ['otlp'];
  }
  // "none" alone means no exporter; mixed with others it is simply ignored (spec).
  return [...new Set(names)].filter((n) => n !== 'none');
}

function resourceAttributes(env: EnvReader, options: CoreOptions): Attributes {
  const attrs: Attributes = {};
  const raw = env.string('OTEL_RESOURCE_ATTRIBUTES');
  if (raw !== undefined) {
    const { values, problems } = parseKeyValueList(raw);
    // The spec says to discard the whole variable on any error rather than guess. Values are
    // not printed: resource attributes can carry tokens.
    if (problems.length) env.warn(`invalid OTEL_RESOURCE_ATTRIBUTES (${problems.join('; ')}; values not shown); using no attributes from it`);
    else Object.assign(attrs, values);
  }
  Object.assign(attrs, options.resourceAttributes);
  const serviceName = options.serviceName ?? env.string('OTEL_SERVICE_NAME');
  if (serviceName !== undefined) attrs['service.name'] = serviceName;
  return attrs;
}

function validate(o: CoreOptions): void {
  for (const key of ['exportIntervalMillis', 'exportTimeoutMillis', 'fallbackProbeIntervalMillis'] as const) {
    if (o[key] !== undefined) wholeMillis(o[key], key);
  }
  if (o.shutdownTimeoutMillis !== undefined) wholeMillis(o.shutdownTimeoutMillis, 'shutdownTimeoutMillis', 0);
  const threshold = o.fallbackFailureThreshold;
  if (threshold !== undefined && !(Number.isSafeInteger(threshold) && threshold > 0)) {
    throw new ConfigError(`fallbackFailureThreshold must be a whole number > 0, got ${String(threshold)}`);
  }
  if (o.serviceName !== undefined && typeof o.serviceName !== 'string') {
    throw new ConfigError(`serviceName must be a string, got ${typeof o.serviceName}`);
  }
  if (o.exporters !== undefined && !Array.isArray(o.exporters)) throw new ConfigError('exporters must be an array of names or instances');
}
