import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { wholeMillis } from './delivery-options';
import type { ExitBudget } from './exit-budget';
import { ExportError } from './export-error';
import { forwardSelectors } from './forward-selectors';

/** Options for {@link withTimeout}. */
export interface TimeoutOptions {
  /** How long one export attempt may take, in ms; default 30000 (`OTEL_METRIC_EXPORT_TIMEOUT`). */
  timeoutMillis?: number;
  /** Names the exporter in the timeout error; default `exporter`. */
  name?: string;
  /** Once started, no attempt outlives the exit budget. */
  exitBudget?: ExitBudget;
  /** Told the outcome of every attempt, e.g. to report the first failure and the recovery. */
  onAttempt?: (result: ExportResult, batch: ResourceMetrics) => void;
}

/**
 * Bounds every export attempt: an exporter that has not called back within the timeout has
 * failed, retryably, with `error.type=timeout`, so the retry decorator and the queue move on
 * instead of waiting for the rest of the process. A callback that comes later is ignored. The
 * timer is unref'd: a stuck attempt never keeps the app alive.
 */
export function withTimeout(exporter: PushMetricExporter, options: TimeoutOptions = {}): PushMetricExporter {
  return new TimeoutExporter(exporter, wholeMillis(options.timeoutMillis ?? 30_000, 'timeoutMillis'), options);
}

class TimeoutExporter implements PushMetricExporter {
  private readonly pending = new Set<(millis: number) => void>();

  constructor(private readonly inner: PushMetricExporter, private readonly millis: number, private readonly options: TimeoutOptions) {
    forwardSelectors(this, inner);
    // An attempt already running when the exit starts gets only what is left of the budget.
    options.exitBudget?.onStart(() => {
      for (const rearm of this.pending) rearm(options.exitBudget!.remaining());
    });
  }

  selectAggregationTemporality?: (kind: InstrumentType) => AggregationTemporality;
  selectAggregation?: (kind: InstrumentType) => AggregationOption;

  export(batch: ResourceMetrics, done: (result: ExportResult) => void): void {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: ExportResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.pending.delete(arm);
      this.options.onAttempt?.(result, batch);
      done(result);
    };
    const arm = (millis: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({
        code: ExportResultCode.FAILED,
        error: new ExportError(`no answer within ${millis}ms`, { retryable: true, type: 'timeout', destination: this.options.name }),
      }), millis);
      timer.unref();
    };
    arm(Math.min(this.millis, this.options.exitBudget?.remaining() ?? Infinity));
    this.pending.add(arm);
    try {
      this.inner.export(batch, finish);
    } catch (error) {
      finish({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
