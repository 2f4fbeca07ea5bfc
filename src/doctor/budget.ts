/** Why a bounded step gave up: its share of the destination's time ran out. */
export class OutOfTime extends Error {
  override readonly name = 'OutOfTime';
}

/**
 * The time one destination's checks may take together (default 5 s). Every step races its
 * work against what is left, so no DNS server, firewall or silent port can make the doctor
 * hang; the timers are unref'd so an abandoned step never keeps the process alive.
 */
export class Budget {
  private readonly deadline: number;

  /** @param totalMillis the whole budget in ms. */
  constructor(readonly totalMillis: number, now = Date.now()) {
    this.deadline = now + totalMillis;
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** `work`, or an OutOfTime rejection once the budget (or `capMillis`, if smaller) is spent. */
  race<T>(work: Promise<T>, capMillis = Infinity): Promise<T> {
    const millis = Math.min(this.remaining(), capMillis);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new OutOfTime(`no answer within ${millis} ms`)), millis);
      timer.unref();
      work.then(
        (value) => { clearTimeout(timer); resolve(value); },
        (err: unknown) => { clearTimeout(timer); reject(err); },
      );
    });
  }
}
