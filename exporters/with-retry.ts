import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { RETRY_DEFAULTS } from '../src/config/options';
import { ConfigError } from '../src/errors';
import type { DeliveryStats } from './delivery-stats';
import { classifyError, type ExportErrorDetails } from './export-error';
import { forwardSelectors } from './forward-selectors';

/** Options for {@link withRetry}; env vars in brackets. */
export interface RetryOptions {
  /** First backoff ceiling in ms [OTEL_METRICS_RETRY_INITIAL_INTERVAL]; default 1000. */
  initialIntervalMillis?: number;
  /** Largest backoff ceiling in ms [OTEL_METRICS_RETRY_MAX_INTERVAL]; default 30000. */
  maxIntervalMillis?: number;
  /** Give up on a batch after this many ms; 0 disables retry [OTEL_METRICS_RETRY_MAX_ELAPSED_TIME]; default 300000. */
  maxElapsedTimeMillis?: number;
  /** Asked before each retry; false ends the batch's retries now (an open circuit breaker). Default: always. */
  shouldRetry?: () => boolean;
  /** Told the outcome of every attempt (a circuit breaker counts them). */
  onAttempt?: (ok: boolean, failure?: ExportErrorDetails) => void;
  /** Where retries and attempt durations are counted. */
  stats?: DeliveryStats;
  /** Source of randomness for the jitter, 0 ≤ x < 1; default Math.random. */
  random?: () => number;
}

/**
 * Retries failed exports the OTLP spec calls retryable, with exponential backoff and full
 * jitter, honouring the server's requested delay (Retry-After, RetryInfo), until the elapsed
 * budget runs out. Anything else fails at once. Shutting down cuts a pending backoff short.
 */
export function withRetry(exporter: PushMetricExporter, options: RetryOptions = {}): PushMetricExporter {
  return new RetryingExporter(exporter, options);
}

class RetryingExporter implements PushMetricExporter {
  private readonly initial: number;
  private readonly max: number;
  private readonly budget: number;
  private readonly random: () => number;
  private stopping = false;
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly inner: PushMetricExporter, private readonly options: RetryOptions) {
    this.initial = options.initialIntervalMillis ?? RETRY_DEFAULTS.initialIntervalMillis;
    this.max = options.maxIntervalMillis ?? RETRY_DEFAULTS.maxIntervalMillis;
    this.budget = options.maxElapsedTimeMillis ?? RETRY_DEFAULTS.maxElapsedTimeMillis;
    for (const [name, v] of Object.entries({ initialIntervalMillis: this.initial, maxIntervalMillis: this.max, maxElapsedTimeMillis: this.budget })) {
      if (!(Number.isFinite(v) && v >= 0)) throw new ConfigError(`retry ${name} must be a number of ms >= 0, got ${v}`);
    }
    this.random = options.random ?? Math.random;
    forwardSelectors(this, inner);
  }

  selectAggregationTemporality?: (kind: InstrumentType) => AggregationTemporality;
  selectAggregation?: (kind: InstrumentType) => AggregationOption;

  export(batch: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.run(batch).then(done, (error: Error) => done({ code: ExportResultCode.FAILED, error }));
  }

  async forceFlush(): Promise<void> {
    await this.inner.forceFlush();
  }

  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const wake of this.sleepers) wake();
    await this.inner.shutdown();
  }

  private async run(batch: ResourceMetrics): Promise<ExportResult> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const t0 = performance.now();
      const result = await attemptOnce(this.inner, batch);
      const seconds = (performance.now() - t0) / 1000;
      if (result.code === ExportResultCode.SUCCESS) {
        this.options.stats?.onAttempt(seconds, undefined);
        this.options.onAttempt?.(true);
        return result;
      }
      const failure = classifyError(result.error);
      this.options.stats?.onAttempt(seconds, failure.type);
      this.options.onAttempt?.(false, failure);
      if (!failure.retryable || this.budget === 0 || this.stopping || this.options.shouldRetry?.() === false) return result;
      // Full jitter: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
      const ceiling = Math.min(this.max, this.initial * 2 ** attempt);
      const delay = failure.retryAfterMillis ?? this.random() * ceiling;
      if (Date.now() + delay - started > this.budget) return result;
      if (this.options.stats) this.options.stats.retries++;
      await this.sleep(delay);
      if (this.stopping) return result;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.sleepers.add(wake);
    });
  }
}

/** One export call as a promise that never rejects, whatever the exporter does. */
export function attemptOnce(exporter: PushMetricExporter, batch: ResourceMetrics): Promise<ExportResult> {
  return new Promise((resolve) => {
    try {
      exporter.export(batch, resolve);
    } catch (error) {
      resolve({ code: ExportResultCode.FAILED, error: error as Error });
    }
  });
}
