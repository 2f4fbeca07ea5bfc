/** One histogram bucket: observations in (lower, upper]. */
export interface Bucket {
  lower: number;
  upper: number;
  count: number;
}

/**
 * Estimates quantile `q` (0..1) by linear interpolation inside the bucket that holds it, the
 * way Prometheus' histogram_quantile does. Open-ended buckets are clamped to the observed
 * min and max, which also keeps estimates inside what was really seen.
 */
export function estimateQuantile(buckets: readonly Bucket[], q: number, min = -Infinity, max = Infinity): number | undefined {
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (const b of buckets) {
    if (b.count === 0) continue;
    if (seen + b.count >= rank) {
      const lower = Math.max(b.lower, min);
      const upper = Math.min(b.upper, max);
      if (!Number.isFinite(lower)) return upper;
      if (!Number.isFinite(upper)) return lower;
      return lower + (upper - lower) * ((rank - seen) / b.count);
    }
    seen += b.count;
  }
  return Math.min(buckets[buckets.length - 1]!.upper, max);
}

/** Explicit-bucket histogram as buckets: boundaries b0<b1<… give (-inf,b0], (b0,b1], …, (bn,+inf). */
export function explicitBuckets(boundaries: readonly number[], counts: readonly number[]): Bucket[] {
  return counts.map((count, i) => ({
    lower: i === 0 ? -Infinity : boundaries[i - 1]!,
    upper: i < boundaries.length ? boundaries[i]! : Infinity,
    count,
  }));
}

/** Base-2 exponential histogram as ascending buckets; bucket i spans (base^i, base^(i+1)], base = 2^(2^-scale). */
export function exponentialBuckets(
  scale: number,
  zeroCount: number,
  positive: { offset: number; bucketCounts: readonly number[] },
  negative: { offset: number; bucketCounts: readonly number[] },
): Bucket[] {
  const base = Math.pow(2, Math.pow(2, -scale));
  const out: Bucket[] = [];
  for (let i = negative.bucketCounts.length - 1; i >= 0; i--) {
    const index = negative.offset + i;
    out.push({ lower: -Math.pow(base, index + 1), upper: -Math.pow(base, index), count: negative.bucketCounts[i]! });
  }
  if (zeroCount > 0) out.push({ lower: 0, upper: 0, count: zeroCount });
  positive.bucketCounts.forEach((count, i) => {
    const index = positive.offset + i;
    out.push({ lower: Math.pow(base, index), upper: Math.pow(base, index + 1), count });
  });
  return out;
}
