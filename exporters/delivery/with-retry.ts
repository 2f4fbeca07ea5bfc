import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { retryPolicy, type RetryPolicyOptions } from './delivery-options';
import type { DeliveryStats } from './delivery-stats';
import { classifyError, type ExportErrorDetails } from './export-error';
import { attemptOnce } from './attempt-once';
import type { ExitBudget } from './exit-budget';
import { forwardSelectors } from './forward-selectors';

/** Options for {@link withRetry}: the retry policy (see RetryPolicyOptions for env vars and defaults) and its hooks. */
export interface RetryOptions extends RetryPolicyOptions {
  /** Asked before each retry; false ends the batch's retries now (an open circuit breaker). Default: always. */
  shouldRetry?: () => boolean;
  /** Told the outcome of every attempt (a circuit breaker counts them). */
  onAttempt?: (ok: boolean, failure?: ExportErrorDetails) => void;
  /** Where retries and attempt durations are counted. */
  stats?: DeliveryStats;
  /** Source of randomness for the jitter, 0 ≤ x < 1; default Math.random. */
  random?: () => number;
  /** Once started, backoff sleeps end at once and each batch gets one immediate last attempt. */
  exitBudget?: ExitBudget;
}

/**
 * Retries failed exports the OTLP spec calls retryable, with exponential backoff and full
 * jitter, honouring the server's requested delay (Retry-After, RetryInfo), until the elapsed
 * budget runs out. Anything else fails at once. When the exit budget starts, a pending backoff
 * is cut short and the batch gets one immediate last attempt: at exit the last try is real.
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
    const policy = retryPolicy(options);
    this.initial = policy.initialIntervalMillis;
    this.max = policy.maxIntervalMillis;
    this.budget = policy.maxElapsedTimeMillis;
    this.random = options.random ?? Math.random;
    options.exitBudget?.onStart(() => this.wakeAll());
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
    this.wakeAll();
    await this.inner.shutdown();
  }

  private async run(batch: ResourceMetrics): Promise<ExportResult> {
    const started = Date.now();
    const exit = this.options.exitBudget;
    for (let attempt = 0; ; attempt++) {
      const lastChance = exit?.started === true;
      const t0 = performance.now();
      const result = await attemptOnce(this.inner, batch);
      const seconds = (performance.now() - t0) / 1000;
      if (result.code === ExportResultCode.SUCCESS) {
        this.options.stats?.attempted(seconds, undefined);
        this.options.onAttempt?.(true);
        return result;
      }
      const failure = classifyError(result.error);
      this.options.stats?.attempted(seconds, failure.type);
      this.options.onAttempt?.(false, failure);
      if (!failure.retryable || this.budget === 0 || this.stopping || this.options.shouldRetry?.() === false) return result;
      if (exit?.started) {
        // The exit has begun: no sleeping. One immediate attempt after it started is the last.
        if (lastChance || exit.remaining() === 0) return result;
        if (this.options.stats) this.options.stats.retries++;
        continue;
      }
      // Full jitter: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
      const ceiling = Math.min(this.max, this.initial * 2 ** attempt);
      const delay = failure.retryAfterMillis ?? this.random() * ceiling;
      if (Date.now() + delay - started > this.budget) return result;
      if (this.options.stats) this.options.stats.retries++;
      await this.sleep(delay);
      if (this.stopping) return result;
    }
  }

  private wakeAll(): void {
    for (const wake of this.sleepers) wake();
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
