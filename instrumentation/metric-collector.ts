import type { Meter } from '@opentelemetry/api';

/** A metric producer: registers its instruments on `start` and releases them on `stop`. */
export interface MetricCollector {
  /** Stable collector name, e.g. `process`. */
  readonly name: string;
  /** Creates instruments on `meter`; must not throw when a platform API is missing. */
  start(meter: Meter): void;
  /** Removes callbacks and timers; idempotent. */
  stop(): void;
}
