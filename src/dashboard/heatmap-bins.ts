/**
 * One histogram metric's bucket counts over time, summed over its series into fixed time bins
 * (default 60 bins of 15 s: the 15-minute window). Memory is `bins × (buckets + 1)` numbers,
 * however many series feed it. Series whose bounds differ from the first ones seen are left
 * out (and counted), since their buckets cannot be added up.
 */
export class HeatmapBins {
  private readonly starts: Float64Array;
  private readonly counts: Float64Array[];
  /** Series points left out because their bounds differed. */
  mismatched = 0;

  constructor(readonly bounds: number[], readonly binMillis = 15_000, readonly binCount = 60) {
    this.starts = new Float64Array(binCount).fill(-1);
    this.counts = Array.from({ length: binCount }, () => new Float64Array(bounds.length + 1));
  }

  /** Adds one interval's bucket counts at `time` (ms); ignores counts of other bounds. */
  add(time: number, bounds: ArrayLike<number>, counts: ArrayLike<number>): void {
    if (!sameBounds(bounds, this.bounds)) {
      this.mismatched++;
      return;
    }
    const start = Math.floor(time / this.binMillis) * this.binMillis;
    const slot = Math.floor(start / this.binMillis) % this.binCount;
    const bin = this.counts[slot]!;
    if (this.starts[slot] !== start) {
      if (this.starts[slot]! > start) return; // older than the whole window
      this.starts[slot] = start;
      bin.fill(0);
    }
    for (let i = 0; i < bin.length; i++) bin[i]! += counts[i] ?? 0;
  }

  /** The bins with time >= `since`, oldest first. */
  read(since: number): { bounds: number[]; binMillis: number; t: number[]; counts: number[][] } {
    const order = [...this.starts.keys()].filter((i) => this.starts[i]! >= 0 && this.starts[i]! >= since - this.binMillis);
    order.sort((a, b) => this.starts[a]! - this.starts[b]!);
    return { bounds: this.bounds, binMillis: this.binMillis, t: order.map((i) => this.starts[i]!), counts: order.map((i) => Array.from(this.counts[i]!)) };
  }
}

function sameBounds(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
