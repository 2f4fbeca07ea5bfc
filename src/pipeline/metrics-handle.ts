import type { MeterProvider as ApiMeterProvider } from '@opentelemetry/api';

/** What `startMetrics` returns. */
export interface MetricsHandle {
  /** The SDK MeterProvider (a no-op one when disabled); also the global one unless `setGlobal: false`. */
  meterProvider: ApiMeterProvider;
  /** Collects and exports now; resolves once the queue is empty, waiting at most the export timeout (ms, `OTEL_METRIC_EXPORT_TIMEOUT`); never rejects. */
  forceFlush(): Promise<void>;
  /** Final flush and release; idempotent; waits at most the exit budget (ms, `OTEL_METRICS_SHUTDOWN_TIMEOUT`, default 3000); resolves `false` if data was left undelivered when it ran out. */
  shutdown(): Promise<boolean>;
}
