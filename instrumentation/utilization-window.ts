/**
 * Turns cumulative readings into a ratio over a window that collections cannot shrink: when two
 * readers collect moments apart, the second gets the last full window's value instead of the
 * noise of a few milliseconds. Inputs are cumulative, so no reader's collection disturbs another's.
 */
export class UtilizationWindow<K> {
  private prev: { at: number; values: Map<K, number> } | undefined;
  private last = new Map<K, number>();

  /** @param minWindowMillis shortest window a ratio is computed over, ms (default 1000). */
  constructor(private readonly minWindowMillis = 1000) {}

  /**
   * Given cumulative per-key values in the same unit as `capacityPerMilli * elapsed ms`, returns
   * each key's share of the capacity over the window, clamped to [0, 1]. Empty until a window has passed.
   */
  update(now: number, values: Map<K, number>, capacityPerMilli: number): Map<K, number> {
    if (!this.prev) {
      this.prev = { at: now, values };
      return this.last;
    }
    const elapsed = now - this.prev.at;
    if (elapsed < this.minWindowMillis) return this.last;
    const next = new Map<K, number>();
    for (const [key, value] of values) {
      const before = this.prev.values.get(key);
      if (before === undefined) continue;
      const ratio = (value - before) / (elapsed * capacityPerMilli);
      next.set(key, Math.min(1, Math.max(0, ratio)));
    }
    this.prev = { at: now, values };
    this.last = next;
    return next;
  }
}
