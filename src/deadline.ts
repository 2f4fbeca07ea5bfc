import { MAX_TIMER_MILLIS } from './config/delivery-options';
/**
 * Resolves with `true` when `work` settles within `millis`, `false` when time runs out first.
 * Never rejects. The timer is ref'd on purpose: during a final flush it is what lets the
 * process wait for the export, and it is cleared as soon as the work settles.
 */
export function settleWithin(work: Promise<unknown>, millis: number): Promise<boolean> {
  return new Promise((resolve) => {
    // A budget at Node's timer limit plus the grace would overflow it, and Node fires after 1 ms.
    const timer = setTimeout(() => resolve(false), Math.min(millis, MAX_TIMER_MILLIS));
    work.then(
      () => { clearTimeout(timer); resolve(true); },
      () => { clearTimeout(timer); resolve(true); },
    );
  });
}

/**
 * The time left to deliver before the process ends. Unset while the app runs; the exit hooks
 * (or `shutdown()`) start it once, and every delivery decorator sharing it switches to its
 * final behaviour: no backoff sleeps, one immediate attempt per waiting batch, then spool or
 * report what is left when it runs out. Started twice (a signal, then natural exit), it keeps
 * the first deadline, so an app's own signal handler never doubles the wait.
 */
export class ExitBudget {
  private deadline: number | undefined;
  private readonly listeners = new Set<() => void>();

  /** @param millis the budget, ms; env `OTEL_METRICS_SHUTDOWN_TIMEOUT`. */
  constructor(readonly millis: number) {}

  /** Starts the budget now (no-op if already started) and tells every listener. */
  start(): void {
    if (this.deadline !== undefined) return;
    this.deadline = Date.now() + this.millis;
    for (const listener of this.listeners) listener();
  }

  /** True once the budget has started. */
  get started(): boolean {
    return this.deadline !== undefined;
  }

  /** Milliseconds left: Infinity before the start, never below 0 after it. */
  remaining(now = Date.now()): number {
    return this.deadline === undefined ? Infinity : Math.max(0, this.deadline - now);
  }

  /** Calls `listener` when the budget starts (at once if it already has). */
  onStart(listener: () => void): void {
    this.listeners.add(listener);
    if (this.started) listener();
  }
}
