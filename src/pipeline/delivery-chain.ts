import { join } from 'node:path';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { EnvReader } from '../config/env-reader';
import type { ResolvedConfig } from '../config/resolve-config';
import type { ExitBudget } from '../../exporters/delivery/exit-budget';
import type { DeliveryStats } from '../../exporters/delivery/delivery-stats';
import { info, warn } from '../diag';
import { RateLimitedLog } from '../rate-limited-log';
import type { CircuitBreaker } from '../../exporters/delivery/circuit-breaker';
import { DeliveryHealth } from '../../exporters/delivery/delivery-health';
import { withQueue } from '../../exporters/delivery/with-queue';
import { withRetry } from '../../exporters/delivery/with-retry';
import { withTimeout } from '../../exporters/delivery/with-timeout';
import { getExporterPlugin } from '../../exporters/registry';
import { assemblyProblems } from './assembly-problems';
import type { ExporterContext } from '../../exporters/plugin';

/** The shortest backoff ceiling tied to the interval, in ms: recovery is found within max(interval, this). */
const RECOVERY_FLOOR_MILLIS = 2000;

/**
 * Wraps one push exporter in the delivery decorators, innermost first:
 *
 *   reader → queue (+ spool) → fallback (circuit breaker) → retry → timeout → exporter
 *
 * The timeout bounds each attempt, so an exporter that never calls back is a retryable
 * failure; the queue is outermost so `export` returns at once and collection never waits; the
 * fallback sits inside the queue so it sees the final outcome of a batch; the retry sits inside
 * the fallback so the fallback gets only what the primary could not deliver after its retries,
 * and shares the breaker so an open circuit ends a retry loop at once.
 */
export function buildDeliveryChain(name: string, exporter: PushMetricExporter, config: ResolvedConfig, stats: DeliveryStats, env: EnvReader, exitBudget: ExitBudget, fallbackOptions?: unknown, destination?: string): PushMetricExporter {
  const policy = config.delivery;
  const fallback = fallbackFor(name, config, stats, env, fallbackOptions);
  const breaker = fallback && createBreaker(name, fallback.name, config);
  const health = new DeliveryHealth(stats, exitBudget);
  let chain = withTimeout(exporter, { timeoutMillis: config.attemptTimeoutMillis, name: destination ?? name, exitBudget, onAttempt: (r, b) => health.record(r, b) });
  if (policy.retry) {
    chain = withRetry(chain, {
      ...policy.retry,
      // A destination that comes back is found within max(interval, 2 s), not after a 30 s backoff.
      maxIntervalMillis: Math.min(policy.retry.maxIntervalMillis, Math.max(config.exportIntervalMillis, RECOVERY_FLOOR_MILLIS)),
      stats,
      exitBudget,
      shouldRetry: breaker && (() => !breaker.open),
      onAttempt: breaker?.record,
    });
  }
  if (fallback) {
    const { withFallback } = require('../../exporters/delivery/with-fallback') as typeof import('../../exporters/delivery/with-fallback');
    chain = withFallback(chain, fallback.exporter, { breaker, primaryName: name, fallbackName: fallback.name });
  }
  if (policy.queue) {
    chain = withQueue(chain, {
      ...policy.queue,
      directory: policy.queue.directory && join(policy.queue.directory, name.replace(/[^a-z0-9._-]/gi, '_')),
      drainTimeoutMillis: config.exportTimeoutMillis,
      stats,
      exitBudget,
    });
  }
  return chain;
}

// The fallback's modules load only when a fallback is configured.
function createBreaker(name: string, fallbackName: string, config: ResolvedConfig): CircuitBreaker {
  const { CircuitBreaker } = require('../../exporters/delivery/circuit-breaker') as typeof import('../../exporters/delivery/circuit-breaker');
  return new CircuitBreaker({
    failureThreshold: config.delivery.fallbackFailureThreshold,
    probeIntervalMillis: config.delivery.fallbackProbeIntervalMillis,
    onChange: (open) => (open
      ? warn(`${name} is failing: sending to the fallback exporter ${fallbackName} and probing ${name}`)
      : info(`${name} is healthy again: switching back from ${fallbackName}`)),
  });
}

// One line per distinct problem for the life of the process: each primary asks again.
const once = new RateLimitedLog(Infinity);

function fallbackFor(name: string, config: ResolvedConfig, stats: DeliveryStats, env: EnvReader, options: unknown): { name: string; exporter: PushMetricExporter } | undefined {
  const spec = config.delivery.fallbackExporter;
  if (spec === undefined) return undefined;
  if (typeof spec !== 'string') return { name: 'fallback', exporter: spec };
  const say = (line: string): undefined => { once.log(line, line); return undefined; };
  if (spec === 'none') return undefined;
  if (spec === name) return say(assemblyProblems.fallbackIsPrimary(spec));
  const plugin = getExporterPlugin(spec);
  if (!plugin) {
    return say(assemblyProblems.unknownFallback(spec));
  }
  // Checked before anything is built: a pull exporter would open a server nobody asked for.
  if (plugin.kind !== 'push') return say(assemblyProblems.pullFallback(spec));
  try {
    const context: ExporterContext = { name: spec, stats, exportIntervalMillis: config.exportIntervalMillis, exportTimeoutMillis: config.exportTimeoutMillis };
    const built = plugin.create(plugin.readConfig ? plugin.readConfig(env, options) : config, context);
    if (typeof (built as PushMetricExporter).export !== 'function') return say(`OTEL_METRICS_FALLBACK_EXPORTER=${spec} did not build a push exporter; running without a fallback`);
    return { name: spec, exporter: built as PushMetricExporter };
  } catch (err) {
    return say(`fallback exporter ${JSON.stringify(spec)} failed to start (${(err as Error).message}); running without a fallback`);
  }
}
