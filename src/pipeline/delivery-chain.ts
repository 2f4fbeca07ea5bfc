import { join } from 'node:path';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ResolvedConfig } from '../config/resolve-config';
import { info, warn } from '../diag';
import type { CircuitBreaker } from '../../exporters/circuit-breaker';
import type { DeliveryStats } from '../../exporters/delivery-stats';
import { exporterNames, getExporterFactory } from '../../exporters/registry';
import { withQueue } from '../../exporters/with-queue';
import { withRetry } from '../../exporters/with-retry';

/**
 * Wraps one push exporter in the delivery decorators, innermost first:
 *
 *   reader → queue (+ spool) → fallback (circuit breaker) → retry → exporter
 *
 * The queue is outermost so `export` returns at once and collection never waits; the fallback
 * sits inside the queue so it sees the final outcome of a batch; the retry sits inside the
 * fallback so the fallback gets only what the primary could not deliver after its retries,
 * and shares the breaker so an open circuit ends a retry loop at once.
 */
export function buildDeliveryChain(name: string, exporter: PushMetricExporter, config: ResolvedConfig, stats: DeliveryStats): PushMetricExporter {
  const fallback = fallbackFor(name, config, stats);
  const breaker = fallback && createBreaker(name, fallback.name, config);
  let chain = exporter;
  if (config.retry) {
    chain = withRetry(chain, {
      ...config.retry,
      stats,
      shouldRetry: breaker && (() => !breaker.open),
      onAttempt: breaker?.record,
    });
  }
  if (fallback) {
    const { withFallback } = require('../../exporters/with-fallback') as typeof import('../../exporters/with-fallback');
    chain = withFallback(chain, fallback.exporter, { breaker, primaryName: name, fallbackName: fallback.name });
  }
  if (config.queue) {
    chain = withQueue(chain, {
      ...config.queue,
      directory: config.queue.directory && join(config.queue.directory, name.replace(/[^a-z0-9._-]/gi, '_')),
      drainTimeoutMillis: config.exportTimeoutMillis,
      stats,
    });
  }
  return chain;
}

// The fallback's modules load only when a fallback is configured.
function createBreaker(name: string, fallbackName: string, config: ResolvedConfig): CircuitBreaker {
  const { CircuitBreaker } = require('../../exporters/circuit-breaker') as typeof import('../../exporters/circuit-breaker');
  return new CircuitBreaker({
    failureThreshold: config.fallbackFailureThreshold,
    probeIntervalMillis: config.fallbackProbeIntervalMillis,
    onChange: (open) => (open
      ? warn(`${name} is failing: sending to the fallback exporter ${fallbackName} and probing ${name}`)
      : info(`${name} is healthy again: switching back from ${fallbackName}`)),
  });
}

function fallbackFor(name: string, config: ResolvedConfig, stats: DeliveryStats): { name: string; exporter: PushMetricExporter } | undefined {
  const spec = config.fallbackExporter;
  if (spec === undefined) return undefined;
  if (typeof spec !== 'string') return { name: 'fallback', exporter: spec };
  if (spec === name) return undefined;
  const factory = getExporterFactory(spec);
  if (!factory) {
    warnOnce(`unknown exporter ${JSON.stringify(spec)} in OTEL_METRICS_FALLBACK_EXPORTER; supported: ${exporterNames().join(', ')}; running without a fallback`);
    return undefined;
  }
  try {
    const built = factory(config, { name: spec, stats });
    if (typeof (built as PushMetricExporter).export !== 'function') {
      warnOnce(`OTEL_METRICS_FALLBACK_EXPORTER=${spec} is a pull exporter and cannot receive pushed batches; running without a fallback`);
      return undefined;
    }
    return { name: spec, exporter: built as PushMetricExporter };
  } catch (err) {
    warnOnce(`fallback exporter ${JSON.stringify(spec)} failed to start (${(err as Error).message}); running without a fallback`);
    return undefined;
  }
}

const warned = new Set<string>();
function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  warn(line);
}
