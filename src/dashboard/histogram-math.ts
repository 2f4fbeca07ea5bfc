/**
 * The value below which `q` (0..1) of the observations fall, estimated from explicit-bucket
 * counts by linear interpolation inside the bucket (as Prometheus' histogram_quantile does).
 * `counts` has one more entry than `bounds` (the overflow bucket). NaN when empty.
 */
export function quantile(q: number, bounds: ArrayLike<number>, counts: ArrayLike<number>, min?: number, max?: number): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (!(total > 0)) return NaN;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (seen + c >= rank && c > 0) {
      const lower = i === 0 ? Math.min(0, bounds[0] ?? 0, min ?? 0) : bounds[i - 1]!;
      // The overflow bucket has no upper bound: the recorded max (or its lower bound) stands in.
      const upper = i < bounds.length ? bounds[i]! : max ?? lower;
      const lo = min !== undefined ? Math.max(lower, Math.min(min, upper)) : lower;
      const hi = max !== undefined ? Math.min(upper, max) : upper;
      return lo + (hi - lo) * ((rank - seen) / c);
    }
    seen += c;
  }
  return bounds.length ? bounds[bounds.length - 1]! : NaN;
}

/**
 * An exponential histogram's positive buckets as explicit bounds and counts: bucket index i
 * covers (base^i, base^(i+1)] with base = 2^(2^-scale) (OTLP spec); the zero bucket comes first.
 */
export function exponentialToExplicit(scale: number, offset: number, bucketCounts: number[], zeroCount: number): { bounds: number[]; counts: number[] } {
  const base = Math.pow(2, Math.pow(2, -scale));
  const bounds: number[] = [0];
  const counts: number[] = [zeroCount];
  for (let i = 0; i < bucketCounts.length; i++) {
    bounds.push(Math.pow(base, offset + i + 1));
    counts.push(bucketCounts[i]!);
  }
  counts.push(0);
  return { bounds, counts };
}
