import { constants } from 'node:os';
import type { ExitBudget } from '../../exporters/delivery/exit-budget';
import { defaultLog, type Log } from '../../core/log';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
// Said only when delivery is still going after this long: a quick exit prints nothing.
const SAY_AFTER_MILLIS = 250;

/** What the exit hooks drive: the handle's own bounded flush and shutdown. */
export interface Flushable {
  forceFlush(): Promise<void>;
  shutdown(): Promise<boolean>;
}

/**
 * Exports the final values when the process ends, within the exit budget, without changing how
 * it ends:
 * - natural exit (`beforeExit`): shut down; the export in flight keeps the loop alive, bounded
 *   by the budget, after which the process exits as it was about to;
 * - SIGTERM / SIGINT with no handler of the app's: shut down, then re-raise the signal so the
 *   process dies of it exactly as Node's default would (exit status 128+n). A second signal
 *   during the flush ends the process at once;
 * - with an app handler: flush within the same budget, and leave exiting to the app; the
 *   shutdown that follows at exit shares the deadline, so the wait is never doubled.
 * An explicit `process.exit()` cannot be waited for (`exit` listeners are synchronous).
 * Returns a function that removes the hooks.
 */
export function installExitHooks(target: Flushable, budget: ExitBudget, log: Log = defaultLog): () => void {
  let finished = false;
  const onBeforeExit = (): void => {
    if (finished) return;
    finished = true;
    // The exit budget's timer holds the loop while the final export runs; once shutdown is
    // done nothing of ours is left, and the process ends as it was about to.
    void target.shutdown();
  };
  const handlers = SIGNALS.map((signal) => {
    const handler = (): void => {
      if (process.listenerCount(signal) > 1) {
        log.debug(`${signal}: the app handles it; flushing within the exit budget without exiting`);
        budget.start();
        // Held while the flush runs, then the app decides when it ends.
        const release = budget.hold();
        void target.forceFlush().finally(release);
        return;
      }
      // Our handler goes now, so a second signal gets Node's default: the process ends at once.
      remove();
      finished = true;
      let done = false;
      const again = signal === 'SIGINT' ? 'press Ctrl-C again' : `send ${signal} again`;
      const say = setTimeout(() => {
        if (!done) log.info(`${signal}: sending the last metrics for up to ${budget.millis}ms (OTEL_METRICS_SHUTDOWN_TIMEOUT); ${again} to exit now`);
      }, SAY_AFTER_MILLIS);
      say.unref();
      void target.shutdown().then(() => {
        done = true;
        clearTimeout(say);
        // As PID 1 (a container without an init) the kernel ignores a signal we have no handler
        // for, so re-raising would do nothing; end with the status the signal would have given.
        if (process.pid === 1) process.exit(128 + (constants.signals[signal] ?? 0));
        process.kill(process.pid, signal);
      });
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  process.on('beforeExit', onBeforeExit);
  function remove(): void {
    process.removeListener('beforeExit', onBeforeExit);
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  }
  return remove;
}
