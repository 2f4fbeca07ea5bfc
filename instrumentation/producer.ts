import type { Meter } from '@opentelemetry/api';

/** A metric producer: registers its instruments on `start` and releases them on `stop`. */
export interface MetricProducer {
  /** Stable producer name, as `OTEL_METRICS_INSTRUMENTATIONS` selects it, e.g. `process`. */
  readonly name: string;
  /** Creates instruments on `meter`; must not throw when a platform API is missing. */
  start(meter: Meter): void;
  /** Removes callbacks, listeners and timers; idempotent. */
  stop(): void;
}

/** Former name of {@link MetricProducer}. */
export type MetricCollector = MetricProducer;
