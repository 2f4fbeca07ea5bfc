import type { Meter } from '@opentelemetry/api';
import type { ProducerContext } from '../core/direct-source';

/**
 * A metric producer: one source of metrics (the host, the process, the runtime, HTTP traffic)
 * behind one small shape, so the assembly can start any selection of them on its meter.
 */
export interface MetricProducer {
  /** Stable producer name as used in `OTEL_METRICS_INSTRUMENTATIONS`, e.g. `process`. */
  readonly name: string;
  /**
   * Creates instruments on `meter`; never throws: a missing platform API leaves that metric out.
   * `context` (from the pipeline; absent on a plain MeterProvider) offers direct sources: metric
   * data built at collection instead of SDK records. Custom producers may ignore it.
   */
  start(meter: Meter, context?: ProducerContext): void;
  /** Removes callbacks, channel subscriptions and timers; idempotent. */
  stop(): void;
}
