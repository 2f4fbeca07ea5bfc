import { ExportResultCode } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { isCancellable, type Attempt, type DeliveryResult } from './attempt';

/**
 * One export call as a promise that never rejects, whatever the exporter does (throws, or
 * calls back twice). With an attempt, a cancellable exporter gets its signal.
 */
export function attemptOnce(exporter: PushMetricExporter, batch: ResourceMetrics, attempt?: Attempt): Promise<DeliveryResult> {
  if (attempt && isCancellable(exporter)) {
    try {
      return exporter.exportWithin(batch, attempt).catch((error: Error) => ({ code: ExportResultCode.FAILED, error }));
    } catch (error) {
      return Promise.resolve({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }
  return new Promise((resolve) => {
    try {
      exporter.export(batch, resolve);
    } catch (error) {
      resolve({ code: ExportResultCode.FAILED, error: error as Error });
    }
  });
}
