/**
 * A fixed-capacity ring of timestamped points with one or more value columns, held in one
 * Float64Array (time, then the columns, point after point: one allocation per series, not one
 * per column). It grows by doubling up to its capacity, so a series that sends rarely stays
 * small, then overwrites the oldest point. `written` counts every push ever made: a reader
 * remembers it as a cursor and later reads only what came after.
 */
export class SeriesRing {
  private data: Float64Array;
  private slots: number;
  private readonly stride: number;
  /** Points pushed since creation (not capped). */
  written = 0;

  constructor(private readonly capacity: number, private readonly columnCount: number) {
    this.stride = 1 + columnCount;
    this.slots = Math.min(capacity, 8);
    this.data = new Float64Array(this.slots * this.stride);
  }

  /** Points currently held. */
  get size(): number {
    return Math.min(this.written, this.capacity);
  }

  /** Adds a point; returns the time of the point it overwrote, or undefined. */
  push(time: number, values: ArrayLike<number>): number | undefined {
    if (this.written >= this.slots && this.slots < this.capacity) this.grow();
    const at = (this.written % this.slots) * this.stride;
    const overwritten = this.written >= this.capacity ? this.data[at] : undefined;
    this.data[at] = time;
    for (let c = 0; c < this.columnCount; c++) this.data[at + 1 + c] = values[c] ?? NaN;
    this.written++;
    return overwritten;
  }

  /** The points pushed after `cursor` (a past `written`) with time >= `since`, oldest first, as plain arrays. */
  read(cursor: number, since: number): { t: number[]; v: number[][] } {
    const from = Math.max(cursor, this.written - this.size);
    const t: number[] = [];
    const v: number[][] = Array.from({ length: this.columnCount }, () => []);
    for (let i = from; i < this.written; i++) {
      const at = (i % this.slots) * this.stride;
      if (this.data[at]! < since) continue;
      t.push(this.data[at]!);
      for (let c = 0; c < this.columnCount; c++) v[c]!.push(this.data[at + 1 + c]!);
    }
    return { t, v };
  }

  /** Bytes held by the buffer. */
  get bytes(): number {
    return this.data.byteLength;
  }

  // Growing keeps order simple: until the ring first fills, slot i holds push i.
  private grow(): void {
    this.slots = Math.min(this.capacity, this.slots * 2);
    const data = new Float64Array(this.slots * this.stride);
    data.set(this.data);
    this.data = data;
  }
}
