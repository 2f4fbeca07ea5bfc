/**
 * Retry sleeps that can all be ended at once (the exit budget starting, shutdown). Timers are
 * unref'd: a sleeping retry never keeps the app alive.
 */
export class Sleepers {
  private readonly wakers = new Set<() => void>();

  /** Resolves after `millis`, or earlier with `true` when woken. */
  sleep(millis: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (woken: boolean): void => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve(woken);
      };
      const wake = (): void => done(true);
      const timer = setTimeout(() => done(false), millis);
      timer.unref();
      this.wakers.add(wake);
    });
  }

  /** Ends every sleep now. */
  wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }
}
