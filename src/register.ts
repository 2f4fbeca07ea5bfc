/**
 * Preload entry: `node --require otel-metrics-pipeline/register app.js`, `--import`, or via
 * NODE_OPTIONS. Configured only by OTEL_* variables. Never throws into the app.
 */
import { isMainThread } from 'node:worker_threads';
import { EnvReader } from '../core/env-reader';
import { resolveEarly } from './config/resolve-config';
import { Log } from '../core/log';

const LOADED = Symbol.for('otel-metrics-pipeline.register');
const state = globalThis as { [LOADED]?: boolean };

// NODE_OPTIONS plus an explicit flag would load us twice; one pipeline is enough. Worker
// threads inherit the preload too; they would start a second pipeline (and a second Prometheus
// server on the same port), so only the main thread starts one; a thread gets the light
// provider whose points reach the main thread's pipeline.
if (!state[LOADED] && !isMainThread) {
  state[LOADED] = true;
  try {
    const early = new EnvReader(process.env, () => {});
    const threads = early.string('OTEL_METRICS_THREADS')?.toLowerCase();
    if (!resolveEarly(early).disabled && threads !== 'off' && threads !== 'false') {
      (require('./pipeline/threads/start-thread-metrics') as typeof import('./pipeline/threads/start-thread-metrics')).startThreadMetrics();
    }
  } catch (err) {
    startupLog().error(`thread start-up failed, this thread runs without metrics: ${(err as Error).message}`);
  }
}
if (!state[LOADED] && isMainThread) {
  state[LOADED] = true;
  try {
    // Decide on OTEL_SDK_DISABLED before loading the SDK, so a disabled preload costs next to nothing.
    if (!resolveEarly(new EnvReader(process.env, () => {})).disabled) {
      (require('./start') as typeof import('./start')).startMetrics();
    }
  } catch (err) {
    startupLog().error(`start-up failed, the app runs without metrics: ${(err as Error).message}`);
  }
}

// No pipeline (and so no pipeline's log) exists when start-up failed: a log at OTEL_LOG_LEVEL, for that one line.
function startupLog(): Log {
  try {
    return new Log(resolveEarly(new EnvReader(process.env, () => {})).logLevel);
  } catch {
    return new Log();
  }
}
