import type { ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/**
 * The bounds of one export attempt, set by the timeout layer alone: the signal that ends it
 * (its own timeout combined with the exit budget) and when that is at the latest, for
 * protocols that tell the server (gRPC's `grpc-timeout`). Nothing below keeps a timer.
 */
export interface Attempt {
  readonly signal: AbortSignal;
  /** ms since the epoch. */
  readonly deadline: number;
}

/** What an attempt's result may carry besides the SDK's: the part of the batch still undelivered. */
export type DeliveryResult = ExportResult & {
  /** When only part of a batch failed (a split batch), the part to retry or account for. */
  undelivered?: ResourceMetrics;
};

/** An exporter that stops its work when the attempt's signal aborts (our transports do). */
export interface CancellableExporter extends PushMetricExporter {
  exportWithin(batch: ResourceMetrics, attempt: Attempt): Promise<DeliveryResult>;
}

/** True when `exporter` takes an attempt's signal. */
export function isCancellable(exporter: PushMetricExporter): exporter is CancellableExporter {
  return typeof (exporter as Partial<CancellableExporter>).exportWithin === 'function';
}

/**
 * The bounds of an attempt made outside a delivery chain (a hand-made exporter call, the
 * doctor): a signal of its own that aborts after `timeoutMillis`. In a chain the timeout
 * layer's signal is passed instead, and this is never built.
 */
export function standaloneAttempt(timeoutMillis: number): Attempt {
  return { signal: AbortSignal.timeout(timeoutMillis), deadline: Date.now() + timeoutMillis };
}
