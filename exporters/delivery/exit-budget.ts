/**
 * The time left to deliver before the process ends: the one deadline of the exit path. Unset
 * while the app runs; the exit hooks (or `shutdown()`) start it once. From then on retry sleeps
 * end, waiting batches are tried at once and retried within what is left, and every attempt's
 * signal includes this budget's, which aborts when it runs out. Its timer is the only one the
 * exit path keeps. It is ref'd only while someone holds it (the final shutdown, or the flush a
 * signal starts): our sockets are unref'd, so that is what keeps the process alive while the
 * last export runs, and a held budget never keeps an app alive that has finished. Started twice (a
 * signal, then natural exit), it keeps the first deadline, so an app's own signal handler
 * never doubles the wait.
 */
export class ExitBudget {
  private deadline: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private holders = 0;
  private readonly controller = new AbortController();
  private readonly listeners = new Set<() => void>();

  /** @param millis the budget, ms; env `OTEL_METRICS_SHUTDOWN_TIMEOUT`. */
  constructor(readonly millis: number) {}

  /** Aborts when the budget runs out; never before it starts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts the budget now (no-op if already started) and tells every listener. */
  start(): void {
    if (this.deadline !== undefined) return;
    this.deadline = Date.now() + this.millis;
    this.timer = setTimeout(() => this.controller.abort(new Error(`the ${this.millis}ms exit budget ran out`)), this.millis);
    if (this.holders === 0) this.timer.unref();
    for (const listener of this.listeners) listener();
  }

  /** Keeps the process alive until the budget runs out or `release` is called: for the final export. */
  hold(): () => void {
    this.holders++;
    this.timer?.ref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holders === 0) this.timer?.unref();
    };
  }

  /** The exit is over: nothing is left to keep the process alive for. */
  end(): void {
    clearTimeout(this.timer);
  }

  /** True once the budget has started. */
  get started(): boolean {
    return this.deadline !== undefined;
  }

  /** True once the budget has run out. */
  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Milliseconds left: Infinity before the start, never below 0 after it. */
  remaining(now = Date.now()): number {
    if (this.expired) return 0;
    return this.deadline === undefined ? Infinity : Math.max(0, this.deadline - now);
  }

  /** Calls `listener` when the budget starts (at once if it already has). */
  onStart(listener: () => void): void {
    this.listeners.add(listener);
    if (this.started) listener();
  }

  /** Words for log lines: `the 3000ms exit budget (OTEL_METRICS_SHUTDOWN_TIMEOUT)`. */
  describe(): string {
    return `the ${this.millis}ms exit budget (OTEL_METRICS_SHUTDOWN_TIMEOUT)`;
  }
}
