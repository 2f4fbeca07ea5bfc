import type { QueuePolicyOptions } from './delivery-options';
import type { FailureSignal } from './delivery-health';
import type { DeliveryListener } from './delivery-listener';
import type { ExitBudget } from './exit-budget';
import type { SpoolOptions } from './spool';

/** Options for {@link withQueue}: the queue policy (see QueuePolicyOptions for env vars and defaults) and its hooks. */
export interface QueueOptions extends QueuePolicyOptions {
  /** Merge batches stream by stream while they wait; default true. */
  coalesce?: boolean;
  /** Told of deliveries, drops and the queue's size. */
  listener?: DeliveryListener;
  /** The shared exit deadline; default one of `drainTimeoutMillis` that shutdown starts. */
  exitBudget?: ExitBudget;
  /** How long a flush while the app runs waits for the queue to empty (nothing is dropped when it ends), and without a shared exit budget how long shutdown waits, in ms; default 30000 (`OTEL_METRIC_EXPORT_TIMEOUT`). */
  drainTimeoutMillis?: number;
  /** Says when the destination is failing: at exit with a spool, the data is then kept without trying. */
  health?: FailureSignal;
  /** Names the queue in the spool's lines; default `queue`. */
  name?: string;
  /** With `directory`: this destination's identity (only its batches are replayed) and the largest file read back. */
  spool?: SpoolOptions;
}

