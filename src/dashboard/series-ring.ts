/**
 * A fixed-capacity ring of timestamped points with one or more value columns. It grows by
 * doubling up to its capacity, so a series that sends rarely stays small, then overwrites the
 * oldest point. `written` counts every push ever made: a reader remembers it as a cursor and
 * later reads only what came after.
 */
export class SeriesRing {
  private times: Float64Array;
  private columns: Float64Array[];
  /** Points pushed since creation (not capped). */
  written = 0;

  constructor(private readonly capacity: number, columnCount: number) {
    const initial = Math.min(capacity, 16);
    this.times = new Float64Array(initial);
    this.columns = Array.from({ length: columnCount }, () => new Float64Array(initial));
  }

  /** Points currently held. */
  get size(): number {
    return Math.min(this.written, this.capacity);
  }

  /** Time (ms) of the newest point, or -Infinity. */
  get lastTime(): number {
    return this.written === 0 ? -Infinity : this.times[(this.written - 1) % this.times.length]!;
  }

  /** Adds a point; returns the time of the point it overwrote, or undefined. */
  push(time: number, values: ArrayLike<number>): number | undefined {
    let overwritten: number | undefined;
    if (this.written >= this.times.length && this.times.length < this.capacity) this.grow();
    const slot = this.written % this.times.length;
    if (this.written >= this.capacity) overwritten = this.times[slot];
    this.times[slot] = time;
    for (let c = 0; c < this.columns.length; c++) this.columns[c]![slot] = values[c] ?? NaN;
    this.written++;
    return overwritten;
  }

  /** The points pushed after `cursor` (a past `written`) with time >= `since`, oldest first, as plain arrays. */
  read(cursor: number, since: number): { t: number[]; v: number[][] } {
    const from = Math.max(cursor, this.written - this.size);
    const t: number[] = [];
    const v: number[][] = this.columns.map(() => []);
    const n = this.times.length;
    for (let i = from; i < this.written; i++) {
      const slot = i % n;
      if (this.times[slot]! < since) continue;
      t.push(this.times[slot]!);
      for (let c = 0; c < this.columns.length; c++) v[c]!.push(this.columns[c]![slot]!);
    }
    return { t, v };
  }

  /** Bytes held by the buffers. */
  get bytes(): number {
    return this.times.byteLength * (1 + this.columns.length);
  }

  // Growing keeps order simple: until the ring first fills, slot i holds push i.
  private grow(): void {
    const size = Math.min(this.capacity, this.times.length * 2);
    const times = new Float64Array(size);
    times.set(this.times);
    this.times = times;
    this.columns = this.columns.map((col) => {
      const next = new Float64Array(size);
      next.set(col);
      return next;
    });
  }
}
