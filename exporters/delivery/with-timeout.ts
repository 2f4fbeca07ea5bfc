import { ExportResultCode } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { attemptOnce } from './attempt-once';
import type { Attempt, CancellableExporter, DeliveryResult } from './attempt';
import { wholeMillis } from './delivery-options';
import type { ExitBudget } from './exit-budget';
import { ExportError } from './export-error';
import { forwardSelectors } from './forward-selectors';

/** Options for {@link withTimeout}. */
export interface TimeoutOptions {
  /** How long one export attempt may take, in ms; default 30000 (`OTEL_METRIC_EXPORT_TIMEOUT`). */
  timeoutMillis?: number;
  /** Names the destination in the timeout error; default `exporter`. */
  name?: string;
  /** Once it runs out, every attempt still open ends. */
  exitBudget?: ExitBudget;
}

/**
 * The one place that times an attempt. Each attempt runs under one AbortSignal, its own
 * timeout combined with the exit budget's (`AbortSignal.any`); the exporter below gets it and
 * stops its work when it aborts, and the attempt fails at that moment, retryably, as "no
 * answer within N ms", whichever of the two ran out: the cause is the silence, not the timer.
 * A callback that comes later is ignored. The timer is unref'd: a stuck attempt never keeps
 * the app alive.
 */
export function withTimeout(exporter: PushMetricExporter, options: TimeoutOptions = {}): CancellableExporter {
  return new TimeoutExporter(exporter, wholeMillis(options.timeoutMillis ?? 30_000, 'timeoutMillis'), options);
}

class TimeoutExporter implements CancellableExporter {
  constructor(private readonly inner: PushMetricExporter, private readonly millis: number, private readonly options: TimeoutOptions) {
    forwardSelectors(this, inner);
  }

  selectAggregationTemporality?: (kind: InstrumentType) => AggregationTemporality;
  selectAggregation?: (kind: InstrumentType) => AggregationOption;

  export(batch: ResourceMetrics, done: (result: DeliveryResult) => void): void {
    void this.exportWithin(batch).then(done);
  }

  /** Runs one attempt; an outer signal (a caller's own) ends it too. */
  exportWithin(batch: ResourceMetrics, outer?: Attempt): Promise<DeliveryResult> {
    const started = Date.now();
    const exit = this.options.exitBudget;
    const own = new AbortController();
    const timer = setTimeout(() => own.abort(), this.millis);
    timer.unref();
    const sources = [own.signal];
    if (exit) sources.push(exit.signal);
    if (outer) sources.push(outer.signal);
    const signal = sources.length > 1 ? AbortSignal.any(sources) : own.signal;
    const deadline = Math.min(started + this.millis, started + (exit?.remaining(started) ?? Infinity), outer?.deadline ?? Infinity);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: DeliveryResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onAbort = (): void => {
        // The same words whichever bound ran out: the drop line's reason says when the process was exiting.
        finish({ code: ExportResultCode.FAILED, error: new ExportError(`no answer within ${Date.now() - started}ms`, { retryable: true, type: 'timeout', destination: this.options.name }) });
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      void attemptOnce(this.inner, batch, { signal, deadline }).then(finish);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
