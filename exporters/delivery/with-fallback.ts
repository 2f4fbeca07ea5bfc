import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { defaultLog, type Log } from '../../core/log';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
import { forwardSelectors } from './forward-selectors';
import { attemptOnce } from './attempt-once';

/** Options for {@link withFallback}. */
export interface FallbackOptions extends CircuitBreakerOptions {
  /** A breaker shared with the primary's retry decorator, so it can count single attempts. */
  breaker?: CircuitBreaker;
  /** Names for the log lines. */
  primaryName?: string;
  fallbackName?: string;
  /** Where the switch lines go: the pipeline's log; default info level on stderr. */
  log?: Log;
}

/**
 * Sends each batch to the primary; what the primary could not deliver (after its retries) goes
 * to the fallback. A circuit breaker sends batches straight to the fallback while the primary is
 * down, probes the primary, and switches back once it answers. A batch that the primary
 * delivered is never sent to the fallback. Temporality and aggregation are the primary's.
 */
export function withFallback(primary: PushMetricExporter, fallback: PushMetricExporter, options: FallbackOptions = {}): PushMetricExporter {
  const primaryName = options.primaryName ?? 'primary';
  const fallbackName = options.fallbackName ?? 'fallback';
  const log = options.log ?? defaultLog;
  const breaker = options.breaker ?? new CircuitBreaker({
    ...options,
    onChange: options.onChange ?? ((open) => (open
      ? log.warn(`${primaryName} is failing: sending to the fallback exporter ${fallbackName} and probing ${primaryName}`)
      : log.info(`${primaryName} is healthy again: switching back from ${fallbackName}`))),
  });
  const shared = options.breaker !== undefined;
  const exporter: PushMetricExporter = {
    export(batch: ResourceMetrics, done: (result: ExportResult) => void): void {
      void (async () => {
        if (breaker.allowPrimary()) {
          const result = await attemptOnce(primary, batch);
          // A shared breaker already heard about every attempt from the retry decorator.
          if (!shared) breaker.record(result.code === ExportResultCode.SUCCESS);
          if (result.code === ExportResultCode.SUCCESS) return done(result);
        }
        done(await attemptOnce(fallback, batch));
      })();
    },
    forceFlush: async () => {
      await Promise.all([primary.forceFlush(), fallback.forceFlush()]);
    },
    shutdown: async () => {
      await Promise.all([primary.shutdown(), fallback.shutdown()]);
    },
  };
  forwardSelectors(exporter, primary);
  return exporter;
}
