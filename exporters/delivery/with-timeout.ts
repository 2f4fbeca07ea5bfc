import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { wholeMillis } from '../../src/config/delivery-options';
import { ExportError } from '../../src/export-error';
import { forwardSelectors } from './forward-selectors';

/** Options for {@link withTimeout}. */
export interface TimeoutOptions {
  /** How long one export attempt may take, in ms; default 30000 (`OTEL_METRIC_EXPORT_TIMEOUT`). */
  timeoutMillis?: number;
  /** Names the exporter in the timeout error; default `exporter`. */
  name?: string;
}

/**
 * Bounds every export attempt: an exporter that has not called back within the timeout has
 * failed, retryably, with `error.type=timeout`, so the retry decorator and the queue move on
 * instead of waiting for the rest of the process. A callback that comes later is ignored. The
 * timer is unref'd: a stuck attempt never keeps the app alive.
 */
export function withTimeout(exporter: PushMetricExporter, options: TimeoutOptions = {}): PushMetricExporter {
  return new TimeoutExporter(exporter, wholeMillis(options.timeoutMillis ?? 30_000, 'timeoutMillis'), options.name ?? 'exporter');
}

class TimeoutExporter implements PushMetricExporter {
  constructor(private readonly inner: PushMetricExporter, private readonly millis: number, private readonly name: string) {
    forwardSelectors(this, inner);
  }

  selectAggregationTemporality?: (kind: InstrumentType) => AggregationTemporality;
  selectAggregation?: (kind: InstrumentType) => AggregationOption;

  export(batch: ResourceMetrics, done: (result: ExportResult) => void): void {
    let settled = false;
    const finish = (result: ExportResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(result);
    };
    const timer = setTimeout(() => finish({
      code: ExportResultCode.FAILED,
      error: new ExportError(`${this.name} did not finish an export within ${this.millis}ms`, { retryable: true, type: 'timeout', destination: this.name }),
    }), this.millis);
    timer.unref();
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
