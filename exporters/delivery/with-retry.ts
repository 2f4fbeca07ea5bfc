import { ExportResultCode } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { DeliveryResult } from './attempt';
import { attemptOnce } from './attempt-once';
import { exitRetryDelay, retryDelay } from './backoff';
import { retryPolicy, type RetryPolicyOptions } from './delivery-options';
import type { DeliveryListener } from './delivery-listener';
import type { ExitBudget } from './exit-budget';
import { classifyError, type ExportErrorDetails } from './export-error';
import { forwardSelectors } from './forward-selectors';
import { isUnreachable } from './is-retryable';
import { Sleepers } from './sleepers';

/** Options for {@link withRetry}: the retry policy (see RetryPolicyOptions for env vars and defaults) and its hooks. */
export interface RetryOptions extends RetryPolicyOptions {
  /** Asked before each retry; false ends the batch's retries now (an open circuit breaker). Default: always. */
  shouldRetry?: () => boolean;
  /** Told the outcome of every try of a batch (a circuit breaker counts them). */
  onAttempt?: (ok: boolean, failure?: ExportErrorDetails) => void;
  /** Told of every retry and its delay. */
  listener?: DeliveryListener;
  /** Source of randomness for the jitter, 0 ≤ x < 1; default Math.random. */
  random?: () => number;
  /** Once started, sleeps end, the batch is tried at once and retried within what is left of it. */
  exitBudget?: ExitBudget;
  /** Retry within the exit budget; default true (false: one attempt at exit, e.g. when a spool keeps the rest). */
  retryAtExit?: boolean;
}

/**
 * Retries failed exports the OTLP spec calls retryable, on the schedule of backoff.ts, until
 * the elapsed budget runs out; anything else fails at once. Only the undelivered part of a
 * partly delivered batch is tried again. When the exit budget starts, a pending sleep ends and
 * the batch is tried at once; a retryable failure is then retried, with backoff, for as long
 * as the exit budget has time left, unless nothing is listening there (isUnreachable).
 */
export function withRetry(exporter: PushMetricExporter, options: RetryOptions = {}): PushMetricExporter {
  return new RetryingExporter(exporter, options);
}

class RetryingExporter implements PushMetricExporter {
  private readonly policy: Required<RetryPolicyOptions>;
  private readonly random: () => number;
  private readonly sleepers = new Sleepers();
  private stopping = false;

  constructor(private readonly inner: PushMetricExporter, private readonly options: RetryOptions) {
    this.policy = retryPolicy(options);
    this.random = options.random ?? Math.random;
    options.exitBudget?.onStart(() => this.sleepers.wakeAll());
    forwardSelectors(this, inner);
  }

  selectAggregationTemporality?: (kind: InstrumentType) => AggregationTemporality;
  selectAggregation?: (kind: InstrumentType) => AggregationOption;

  export(batch: ResourceMetrics, done: (result: DeliveryResult) => void): void {
    this.run(batch).then(done, (error: Error) => done({ code: ExportResultCode.FAILED, error }));
  }

  async forceFlush(): Promise<void> {
    await this.inner.forceFlush();
  }

  async shutdown(): Promise<void> {
    this.stopping = true;
    this.sleepers.wakeAll();
    await this.inner.shutdown();
  }

  private async run(batch: ResourceMetrics): Promise<DeliveryResult> {
    const started = Date.now();
    const exit = this.options.exitBudget;
    let pending = batch;
    let exitAttempt = 0;
    for (let attempt = 0; ; attempt++) {
      const result = await attemptOnce(this.inner, pending);
      if (result.code === ExportResultCode.SUCCESS) {
        this.options.onAttempt?.(true);
        return result;
      }
      if (result.undelivered) pending = result.undelivered;
      const failed: DeliveryResult = { ...result, undelivered: pending === batch ? undefined : pending };
      const failure = classifyError(result.error);
      this.options.onAttempt?.(false, failure);
      if (!failure.retryable || this.policy.maxElapsedTimeMillis === 0 || this.stopping || this.options.shouldRetry?.() === false) return failed;
      let delay: number | undefined;
      if (exit?.started) {
        if (this.options.retryAtExit === false || isUnreachable(failure.type)) return failed;
        delay = exitRetryDelay(this.policy, exitAttempt++, failure, exit.remaining(), this.random);
        if (delay === undefined) return failed;
      } else {
        delay = retryDelay(this.policy, attempt, failure, this.random);
        if (Date.now() + delay - started > this.policy.maxElapsedTimeMillis) return failed;
      }
      this.options.listener?.retrying?.(delay, failure);
      const wasExit = exit?.started === true;
      const woken = await this.sleepers.sleep(delay);
      if (this.stopping) return failed;
      // Woken by the exit's start: the next try goes now, and its backoff restarts at exit.
      if (woken && !wasExit) exitAttempt = 0;
    }
  }
}
