import type { ExponentialHistogram } from '@opentelemetry/sdk-metrics';

/** Classic buckets: ascending upper bounds (`le`, without +Inf) and cumulative counts. */
export interface ClassicBuckets {
  bounds: number[];
  cumulative: number[];
}

/**
 * Text formats cannot carry native histograms, so an exponential histogram becomes classic
 * buckets, which the spec allows ("MAY be converted to fixed-bucket histograms"). Each
 * exponential bucket becomes one `le` at its upper boundary, base^(index+1) with
 * base = 2^(2^-scale); the buckets hold (lower, upper], exactly what `le` means, so no count
 * moves. Negative buckets come first (le = -base^index), then le="0" for the zero bucket
 * when anything is at or below zero. The boundaries change only when the SDK changes scale.
 */
export function exponentialToClassic(h: ExponentialHistogram): ClassicBuckets {
  const factor = Math.pow(2, -h.scale);
  const bounds: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  const neg = h.negative.bucketCounts;
  for (let i = neg.length - 1; i >= 0; i--) {
    total += neg[i]!;
    bounds.push(-Math.pow(2, (h.negative.offset + i) * factor));
    cumulative.push(total);
  }
  if (neg.length > 0 || h.zeroCount > 0) {
    total += h.zeroCount;
    bounds.push(0);
    cumulative.push(total);
  }
  const pos = h.positive.bucketCounts;
  for (let i = 0; i < pos.length; i++) {
    total += pos[i]!;
    bounds.push(Math.pow(2, (h.positive.offset + i + 1) * factor));
    cumulative.push(total);
  }
  return { bounds, cumulative };
}
