import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExportErrorDetails } from './export-error';

/** One export attempt as the observer layer saw it: one request to the destination. */
export interface AttemptOutcome {
  /** How long the attempt took, in seconds. */
  seconds: number;
  /** The batch (or request-sized piece of one) the attempt carried, and its point count. */
  batch: ResourceMetrics;
  points: number;
  /** Set when the attempt failed: the error and its classification. */
  error?: unknown;
  failure?: ExportErrorDetails;
}

/** Why points were given up on; the words of the drop line follow from it and the cause. */
export type DropReason = 'not_retryable' | 'retries_exhausted' | 'exit' | 'queue_full' | 'shutdown';

/** Points given up on, with the cause in words (`connection refused`, `no answer within 2987ms`, …). */
export interface Drop {
  points: number;
  reason: DropReason;
  /** `error.type` for the self-metrics: an HTTP status, a gRPC code, `timeout`, `queue_full`, … */
  type: string;
  cause: string;
  destination?: string;
}

/**
 * Told what a delivery chain does, as it happens. The decorators call it; they never read
 * anything back from it. DeliveryStats (counters), DeliveryHealth (first-failure and recovery
 * lines) and DropReport (drop lines) are listeners; so is anything a user adds.
 */
export interface DeliveryListener {
  /** Every request to the destination, with or without retry. */
  attempted?(outcome: AttemptOutcome): void;
  /** A failed batch will be tried again after `delayMillis`. */
  retrying?(delayMillis: number, failure: ExportErrorDetails): void;
  /** Points the destination accepted. */
  delivered?(points: number): void;
  /** Points given up on. */
  dropped?(drop: Drop): void;
  /** At exit, points not yet delivered stay in the spool `where` for the next start. */
  kept?(points: number, where: string): void;
  /** The queue's contents changed: batches and estimated (or, with a spool, on-disk) bytes held. */
  queued?(batches: number, bytes: number): void;
}

/** One listener that tells each of `listeners` in order; a listener that throws never breaks delivery. */
export function fanOut(...listeners: Array<DeliveryListener | undefined>): Required<DeliveryListener> {
  const all = listeners.filter((l): l is DeliveryListener => l !== undefined);
  const tell = <K extends keyof DeliveryListener>(event: K) => (...args: Parameters<Required<DeliveryListener>[K]>): void => {
    for (const l of all) {
      try {
        (l[event] as ((...a: typeof args) => void) | undefined)?.apply(l, args);
      } catch { /* observation must not change delivery */ }
    }
  };
  return { attempted: tell('attempted'), retrying: tell('retrying'), delivered: tell('delivered'), dropped: tell('dropped'), kept: tell('kept'), queued: tell('queued') };
}
