import type { ExponentialHistogram, Histogram } from '@opentelemetry/sdk-metrics';
import { formatDecimal, formatFloat, formatInteger } from './format-number';

// Field sets of the telegraf-prometheus v1 schema used by InfluxData's OpenTelemetry converter
// (otel2influx, also in the Collector's influxdb exporter): `gauge` or `counter` for numbers;
// `count`, `sum`, `min`, `max`, one cumulative count per bucket bound and `+Inf` for histograms.
// NaN and ±Inf cannot be stored in InfluxDB: such a value is skipped and counted.

/** Counts what could not be written. */
export interface SkipCounter {
  /** NaN or ±Inf values left out. */
  nonFinite: number;
}

/** `gauge=…` or `counter=…`, integer with the `i` suffix; undefined when the value is not finite. */
export function numberField(key: 'gauge' | 'counter', value: number, integer: boolean, skips: SkipCounter): string | undefined {
  if (!Number.isFinite(value)) {
    skips.nonFinite++;
    return undefined;
  }
  return `${key}=${integer && Number.isInteger(value) ? formatInteger(value) : formatFloat(value)}`;
}

/** The field keys for explicit bucket bounds, in decimal notation (`0.05`, `1000`). */
export function boundKeys(boundaries: readonly number[]): string[] {
  return boundaries.map(formatDecimal);
}

/** Fields of an explicit-bucket histogram point; `keys` from {@link boundKeys} for its boundaries. */
export function histogramFields(h: Histogram, keys: readonly string[], skips: SkipCounter): string {
  let out = summaryFields(h.count, h.sum, h.min, h.max, skips);
  const counts = h.buckets.counts;
  let cumulative = 0;
  for (let i = 0; i < keys.length && i < counts.length; i++) {
    cumulative += counts[i];
    out += `,${keys[i]}=${formatFloat(cumulative)}`;
  }
  if (counts.length === keys.length + 1) out += `,+Inf=${formatFloat(h.count)}`;
  return out;
}

/**
 * Fields of an exponential histogram point, in the same shape as an explicit-bucket one: the
 * v1 schema has no exponential form, so each bucket becomes a cumulative count keyed by its
 * upper bound, negative buckets first, then the zero bucket (`0`), then the positive ones.
 */
export function exponentialHistogramFields(h: ExponentialHistogram, skips: SkipCounter): string {
  let out = summaryFields(h.count, h.sum, h.min, h.max, skips);
  const step = 2 ** -h.scale;
  let cumulative = 0;
  const neg = h.negative.bucketCounts;
  // Negative bucket i holds values in [-base^(i+1), -base^i): ascending order runs from the top index down.
  for (let k = neg.length - 1; k >= 0; k--) {
    cumulative += neg[k];
    out += boundField(-(2 ** ((h.negative.offset + k) * step)), cumulative);
  }
  if (h.zeroCount > 0 || neg.length > 0) {
    cumulative += h.zeroCount;
    out += `,0=${formatFloat(cumulative)}`;
  }
  const pos = h.positive.bucketCounts;
  // Positive bucket i holds values in (base^i, base^(i+1)].
  for (let k = 0; k < pos.length; k++) {
    cumulative += pos[k];
    out += boundField(2 ** ((h.positive.offset + k + 1) * step), cumulative);
  }
  return `${out},+Inf=${formatFloat(h.count)}`;
}

function boundField(bound: number, cumulative: number): string {
  // Bounds beyond the double range (or below it) cannot name a distinct field; +Inf covers them.
  return Number.isFinite(bound) && bound !== 0 ? `,${formatDecimal(bound)}=${formatFloat(cumulative)}` : '';
}

function summaryFields(count: number, sum: number | undefined, min: number | undefined, max: number | undefined, skips: SkipCounter): string {
  let out = `count=${formatFloat(count)}`;
  out += optional('sum', sum, skips);
  // An empty exponential histogram reports min +Inf and max -Inf: nothing to write, nothing lost.
  if (count > 0) out += optional('min', min, skips) + optional('max', max, skips);
  return out;
}

function optional(key: string, value: number | undefined, skips: SkipCounter): string {
  if (value === undefined) return '';
  if (!Number.isFinite(value)) {
    skips.nonFinite++;
    return '';
  }
  return `,${key}=${formatFloat(value)}`;
}
