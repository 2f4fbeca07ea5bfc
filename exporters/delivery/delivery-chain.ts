import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { join } from 'node:path';
import { defaultLog, type Log } from '../../core/log';
import { CircuitBreaker } from './circuit-breaker';
import { fanOut, type DeliveryListener } from './delivery-listener';
import { DeliveryHealth } from './delivery-health';
import type { queuePolicy, retryPolicy } from './delivery-options';
import { DropReport } from './drop-report';
import type { ExitBudget } from './exit-budget';
import { withObserver } from './with-observer';
import { withQueue } from './with-queue';
import { withRetry } from './with-retry';
import { withSplit } from './with-split';
import { withTimeout } from './with-timeout';

/** What {@link buildDeliveryChain} wraps, and how. */
export interface DeliveryChainOptions {
  /** Exporter name, for log lines and the spool's sub-directory. */
  name: string;
  /** Where it sends, without credentials, for log lines; default the name. */
  destination?: string;
  /** Bound of one attempt, ms (`OTEL_METRIC_EXPORT_TIMEOUT`). */
  attemptTimeoutMillis: number;
  /** How long a flush while the app runs waits for the queue, ms (`OTEL_METRIC_EXPORT_TIMEOUT`). */
  flushTimeoutMillis: number;
  /** The reader's interval, ms: the backoff ceiling is min(max interval, max(interval, 2 s)). */
  exportIntervalMillis: number;
  /** Retry policy; undefined for none. */
  retry?: ReturnType<typeof retryPolicy>;
  /** Queue policy; undefined for none (collection then waits on delivery). */
  queue?: ReturnType<typeof queuePolicy>;
  /** A push exporter that gets what the primary could not deliver, behind a circuit breaker. */
  fallback?: { name: string; exporter: PushMetricExporter; destination?: string; failureThreshold?: number; probeIntervalMillis?: number };
  /** The exit deadline every chain of the pipeline shares. */
  exitBudget: ExitBudget;
  /** Told of attempts, retries, deliveries, drops and the queue (the stats, self-metrics, health report). */
  listener?: DeliveryListener;
  /** The pipeline's log (its level); every line of the chain goes through it. Default info level on stderr. */
  log?: Log;
}

/** The shortest backoff ceiling tied to the interval, in ms: recovery is found within max(interval, this). */
const RECOVERY_FLOOR_MILLIS = 2000;

/**
 * Wraps one push exporter in the delivery decorators, outermost first:
 *
 *   reader → queue (+ spool) → fallback (breaker) → retry → split → observer → timeout → exporter
 *
 * The queue is outermost so `export` returns at once and collection never waits; the fallback
 * sees a batch's final outcome after the primary's retries, and shares the breaker so an open
 * circuit ends a retry loop at once; retry retries only what a split batch left undelivered;
 * the observer sees every request; the timeout alone times each one.
 */
export function buildDeliveryChain(exporter: PushMetricExporter, o: DeliveryChainOptions): PushMetricExporter {
  const { exitBudget } = o;
  const log = o.log ?? defaultLog;
  const health = new DeliveryHealth(o.name, exitBudget, undefined, log);
  const listener = fanOut(o.listener, health, new DropReport(o.name, exitBudget.describe(), undefined, log));
  const timed = (e: PushMetricExporter, name: string) => withTimeout(e, { timeoutMillis: o.attemptTimeoutMillis, name, exitBudget });
  let chain = withSplit(withObserver(timed(exporter, o.destination ?? o.name), listener));
  const breaker = o.fallback && new CircuitBreaker({
    failureThreshold: o.fallback.failureThreshold,
    probeIntervalMillis: o.fallback.probeIntervalMillis,
    onChange: (open) => (open
      ? log.warn(`${o.name} is failing: sending to the fallback exporter ${o.fallback!.name} and probing ${o.name}`)
      : log.info(`${o.name} is healthy again: switching back from ${o.fallback!.name}`)),
  });
  if (o.retry) {
    chain = withRetry(chain, {
      ...o.retry,
      // A destination that comes back is found within max(interval, 2 s), not after a 30 s backoff.
      maxIntervalMillis: Math.min(o.retry.maxIntervalMillis, Math.max(o.exportIntervalMillis, RECOVERY_FLOOR_MILLIS)),
      listener,
      exitBudget,
      // With a spool, what fails at exit is safe on disk: the exit does not wait to retry it.
      retryAtExit: !o.queue?.directory,
      shouldRetry: breaker && (() => !breaker.open),
      onAttempt: breaker?.record,
    });
  }
  if (o.fallback) {
    const { withFallback } = require('./with-fallback') as typeof import('./with-fallback');
    chain = withFallback(chain, timed(o.fallback.exporter, o.fallback.destination ?? o.fallback.name), { breaker, primaryName: o.name, fallbackName: o.fallback.name, log });
  }
  if (o.queue) {
    const directory = o.queue.directory && join(o.queue.directory, o.name.replace(/[^a-z0-9._-]/gi, '_'));
    // Only this destination's batches are replayed from a shared directory; files are read back up
    // to 4x the byte bound (JSON on disk is larger than the protobuf estimate the bound counts).
    const spool = directory ? { identity: (require('./spool-identity') as typeof import('./spool-identity')).destinationIdentity({ exporter: o.name, endpoint: o.destination ?? o.name }), maxFileBytes: 4 * o.queue.maxBytes, log } : undefined;
    chain = withQueue(chain, { ...o.queue, directory, name: o.name, spool, listener, exitBudget, health, drainTimeoutMillis: o.flushTimeoutMillis });
  }
  return chain;
}
