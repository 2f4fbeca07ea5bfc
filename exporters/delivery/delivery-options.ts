import { MAX_TIMER_MILLIS } from '../../core/env-reader';
import { ConfigError } from '../../core/errors';

/** Retry defaults, in ms: the OpenTelemetry Collector exporter helper's. */
export const RETRY_DEFAULTS = { initialIntervalMillis: 1000, maxIntervalMillis: 30_000, maxElapsedTimeMillis: 300_000 } as const;

/** Queue defaults: 100 batches, 16 MiB, a 30 s drain (the spec's export timeout). */
export const QUEUE_DEFAULTS = { maxBatches: 100, maxBytes: 16 * 1024 * 1024, drainTimeoutMillis: 30_000 } as const;

/** Fallback circuit-breaker defaults: 3 failed attempts open it, a 30 s probe interval. */
export const FALLBACK_DEFAULTS = { failureThreshold: 3, probeIntervalMillis: 30_000 } as const;

/** Retry policy of a push exporter's delivery chain; each field overrides its env var. */
export interface RetryPolicyOptions {
  /** First backoff ceiling in ms; env `OTEL_METRICS_RETRY_INITIAL_INTERVAL`; default 1000. */
  initialIntervalMillis?: number;
  /** Largest backoff ceiling in ms; env `OTEL_METRICS_RETRY_MAX_INTERVAL`; default 30000. */
  maxIntervalMillis?: number;
  /** Give up on a batch after this many ms, 0 disables retry; env `OTEL_METRICS_RETRY_MAX_ELAPSED_TIME`; default 300000. */
  maxElapsedTimeMillis?: number;
}

/** Sending queue of a push exporter's delivery chain; each field overrides its env var. */
export interface QueuePolicyOptions {
  /** Most batches held, the one being sent included; env `OTEL_METRICS_QUEUE_SIZE`; default 100. */
  maxBatches?: number;
  /** Most bytes held, estimated in memory or counted on disk; env `OTEL_METRICS_QUEUE_MAX_BYTES`; default 16777216 (16 MiB). */
  maxBytes?: number;
  /** Crash-safe spool directory; env `OTEL_METRICS_QUEUE_DIR`; default none (memory only). */
  directory?: string;
}

/** The retry policy with every default filled in; throws ConfigError naming `where.field` for a bad value. */
export function retryPolicy(o: RetryPolicyOptions = {}, where = 'retry'): Required<RetryPolicyOptions> {
  const policy = {
    initialIntervalMillis: o.initialIntervalMillis ?? RETRY_DEFAULTS.initialIntervalMillis,
    maxIntervalMillis: o.maxIntervalMillis ?? RETRY_DEFAULTS.maxIntervalMillis,
    maxElapsedTimeMillis: o.maxElapsedTimeMillis ?? RETRY_DEFAULTS.maxElapsedTimeMillis,
  };
  for (const [k, v] of Object.entries(policy)) wholeMillis(v, `${where}.${k}`, 0);
  return policy;
}

/** The queue policy with its bounds filled in; throws ConfigError naming `where.field` for a bad value. */
export function queuePolicy(o: QueuePolicyOptions = {}, where = 'queue'): Required<Omit<QueuePolicyOptions, 'directory'>> & { directory?: string } {
  const policy = {
    maxBatches: o.maxBatches ?? QUEUE_DEFAULTS.maxBatches,
    maxBytes: o.maxBytes ?? QUEUE_DEFAULTS.maxBytes,
    directory: o.directory,
  };
  for (const k of ['maxBatches', 'maxBytes'] as const) {
    const v = policy[k];
    if (!(Number.isSafeInteger(v) && v > 0)) throw new ConfigError(`${where}.${k} must be a whole number > 0, got ${String(v)}`);
  }
  if (policy.directory !== undefined && (typeof policy.directory !== 'string' || policy.directory === '')) {
    throw new ConfigError(`${where}.directory must be a non-empty path, got ${JSON.stringify(policy.directory)}`);
  }
  return policy;
}

/** Throws ConfigError unless `v` is a whole number of ms in [min, 2^31-1]. */
export function wholeMillis(v: unknown, name: string, min = 1): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= MAX_TIMER_MILLIS) return v;
  throw new ConfigError(`${name} must be a whole number of milliseconds ${min === 0 ? '>= 0' : '> 0'} and <= ${MAX_TIMER_MILLIS}, got ${String(v)}`);
}
