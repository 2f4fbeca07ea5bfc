import type { HrTime } from '@opentelemetry/api';

/** Timestamp precision of the written lines: nanoseconds (default), microseconds, milliseconds or seconds. */
export type Precision = 'ns' | 'us' | 'ms' | 's';

/** The accepted precisions, finest first. */
export const PRECISIONS: readonly Precision[] = ['ns', 'us', 'ms', 's'];

const PAD = { ns: 9, us: 6, ms: 3, s: 0 } as const;
const DIVISOR = { ns: 1, us: 1_000, ms: 1_000_000, s: 1_000_000_000 } as const;

/**
 * An HrTime `[seconds, nanoseconds]` as a line-protocol timestamp at `precision`, truncated.
 * Built from the two parts as text: nanoseconds since 1970 exceed 2^53, so arithmetic on one
 * number would lose the last digits.
 */
export function formatTimestamp(time: HrTime, precision: Precision): string {
  const [seconds, nanos] = time;
  if (precision === 's') return String(seconds);
  const fraction = String(Math.floor(nanos / DIVISOR[precision]));
  if (seconds === 0) return fraction;
  return String(seconds) + '0'.repeat(PAD[precision] - fraction.length) + fraction;
}

/** True when `time` is the zero time (OTel's "not set"). */
export function isZeroTime(time: HrTime): boolean {
  return time[0] === 0 && time[1] === 0;
}
