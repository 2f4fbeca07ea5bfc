import { ExportResultCode } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Attempt, CancellableExporter, DeliveryResult } from './attempt';
import { attemptOnce } from './attempt-once';
import { countPoints } from './batch-size';
import type { DeliveryListener } from './delivery-listener';
import { classifyError } from './export-error';
import { forwardSelectors } from './forward-selectors';

/**
 * Observation as a layer of its own, just outside the timeout: tells the listener of every
 * attempt (its duration, points and outcome) whether or not retry is on. It only reports;
 * what happens next is decided by the layers above.
 */
export function withObserver(exporter: PushMetricExporter, listener: DeliveryListener): CancellableExporter {
  return new ObservingExporter(exporter, listener);
}

class ObservingExporter implements CancellableExporter {
  constructor(private readonly inner: PushMetricExporter, private readonly listener: DeliveryListener) {
    forwardSelectors(this, inner);
  }

  selectAggregationTemporality?: (kind: InstrumentType) => AggregationTemporality;
  selectAggregation?: (kind: InstrumentType) => AggregationOption;

  export(batch: ResourceMetrics, done: (result: DeliveryResult) => void): void {
    void this.observe(batch).then(done);
  }

  exportWithin(batch: ResourceMetrics, attempt: Attempt): Promise<DeliveryResult> {
    return this.observe(batch, attempt);
  }

  private async observe(batch: ResourceMetrics, attempt?: Attempt): Promise<DeliveryResult> {
    const t0 = performance.now();
    const result = await attemptOnce(this.inner, batch, attempt);
    const seconds = (performance.now() - t0) / 1000;
    const failed = result.code !== ExportResultCode.SUCCESS;
    this.listener.attempted?.({
      seconds,
      batch,
      points: countPoints(batch),
      ...(failed ? { error: result.error, failure: classifyError(result.error) } : {}),
    });
    return result;
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
