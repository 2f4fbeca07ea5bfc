import { ExportResultCode } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { DeliveryResult } from './attempt';
import { attemptOnce } from './attempt-once';
import { forwardSelectors } from './forward-selectors';
import { splitBatch } from './split-batch';

/** Options for {@link withSplit}. */
export interface SplitOptions {
  /** Largest request, estimated as encoded OTLP, in bytes; default 3 MiB (under the 4 MiB a Collector's gRPC receiver accepts by default). */
  maxRequestBytes?: number;
  /** Requests of one batch in flight at once; default 4. */
  concurrency?: number;
}

/** Default largest request, in bytes. */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
/** Default requests of one batch in flight. */
export const SPLIT_CONCURRENCY = 4;

/**
 * Sends a batch larger than one request as several, whole points each, up to `concurrency` at
 * a time, yielding to the event loop before each piece so serializing a huge collection never
 * holds it for long (the exit budget's deadline must be able to fire). Once a piece fails, no
 * new piece starts: the result is a failure whose `undelivered` holds every piece not
 * delivered, so retry sends only those and the rate of requests to a failing destination
 * stays that of the backoff schedule.
 */
export function withSplit(exporter: PushMetricExporter, options: SplitOptions = {}): PushMetricExporter {
  return new SplittingExporter(exporter, options.maxRequestBytes ?? MAX_REQUEST_BYTES, options.concurrency ?? SPLIT_CONCURRENCY);
}

class SplittingExporter implements PushMetricExporter {
  constructor(private readonly inner: PushMetricExporter, private readonly maxBytes: number, private readonly concurrency: number) {
    forwardSelectors(this, inner);
  }

  selectAggregationTemporality?: (kind: InstrumentType) => AggregationTemporality;
  selectAggregation?: (kind: InstrumentType) => AggregationOption;

  export(batch: ResourceMetrics, done: (result: DeliveryResult) => void): void {
    void this.send(batch).then(done);
  }

  private async send(batch: ResourceMetrics): Promise<DeliveryResult> {
    const pieces = splitBatch(batch, this.maxBytes);
    if (pieces.length === 1) return attemptOnce(this.inner, batch);
    const failed: ResourceMetrics[] = [];
    let error: Error | undefined;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < pieces.length && error === undefined) {
        const piece = pieces[next++]!;
        await yieldToLoop();
        const result = await attemptOnce(this.inner, piece);
        if (result.code !== ExportResultCode.SUCCESS) {
          error ??= result.error ?? new Error('export failed');
          failed.push(result.undelivered ?? piece);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, pieces.length) }, worker));
    if (error === undefined) return { code: ExportResultCode.SUCCESS };
    const undelivered = [...failed, ...pieces.slice(next)];
    return { code: ExportResultCode.FAILED, error, undelivered: { resource: batch.resource, scopeMetrics: undelivered.flatMap((p) => p.scopeMetrics) } };
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
