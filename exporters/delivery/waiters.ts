/** Callers waiting for something to change; each wait also ends when `until` aborts. */
export class Waiters {
  private list: Array<() => void> = [];

  /** Resolves on the next wakeAll(), or when `until` aborts. */
  wait(until?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        until?.removeEventListener('abort', done);
        resolve();
      };
      this.list.push(done);
      until?.addEventListener('abort', done, { once: true });
    });
  }

  wakeAll(): void {
    const list = this.list;
    this.list = [];
    for (const w of list) w();
  }
}
