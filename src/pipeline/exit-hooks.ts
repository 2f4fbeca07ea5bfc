import { debug } from '../diag';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** What the exit hooks drive: the handle's own bounded flush and shutdown. */
export interface Flushable {
  forceFlush(): Promise<void>;
  shutdown(): Promise<boolean>;
}

/**
 * Exports the final values when the process ends, without changing how it ends:
 * - natural exit (`beforeExit`): shut down; the export in flight keeps the loop alive, bounded
 *   by the shutdown deadline, after which the process exits as it was about to;
 * - SIGTERM / SIGINT with no handler of the app's: shut down, then re-raise the signal so the
 *   process dies of it exactly as Node's default would (exit status 128+n);
 * - with an app handler: flush only; exiting is the app's decision.
 * An explicit `process.exit()` cannot be waited for (`exit` listeners are synchronous).
 * Returns a function that removes the hooks.
 */
export function installExitHooks(target: Flushable): () => void {
  let finished = false;
  const onBeforeExit = (): void => {
    if (finished) return;
    finished = true;
    void target.shutdown().then((inTime) => {
      // Only our stuck export can still hold the loop: the app had nothing left when beforeExit fired.
      if (!inTime) process.exit();
    });
  };
  const handlers = SIGNALS.map((signal) => {
    const handler = (): void => {
      if (process.listenerCount(signal) > 1) {
        debug(`${signal}: the app handles it; flushing without exiting`);
        void target.forceFlush();
        return;
      }
      remove();
      finished = true;
      void target.shutdown().then(() => process.kill(process.pid, signal));
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
