import type { ExportErrorDetails } from './export-error';

/** The retry schedule's settings, in ms. */
export interface BackoffPolicy {
  initialIntervalMillis: number;
  maxIntervalMillis: number;
}

/**
 * How long to wait before retry number `attempt + 1` (0-based attempt that just failed):
 * exponential backoff with full jitter under a ceiling of min(max, initial·2^attempt)
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). A delay the
 * server asked for (Retry-After, RetryInfo) is honoured when it is longer, but never beyond
 * the largest interval: the data waits in the queue and the next attempt decides. One at or
 * below zero, or a date in the past, means the normal backoff. So whatever the server answers,
 * attempts against it never come faster than this schedule.
 */
export function retryDelay(policy: BackoffPolicy, attempt: number, failure: Pick<ExportErrorDetails, 'retryAfterMillis'>, random: () => number): number {
  const ceiling = Math.min(policy.maxIntervalMillis, policy.initialIntervalMillis * 2 ** Math.min(attempt, 30));
  const backoff = random() * ceiling;
  const asked = failure.retryAfterMillis;
  if (asked === undefined || !(asked > 0)) return backoff;
  return Math.min(Math.max(asked, backoff), policy.maxIntervalMillis);
}

/**
 * The same at exit, where `remainingMillis` of the budget is left: a server's delay that fits
 * (leaves time for the attempt after it) is honoured and one that does not ends the tries
 * (`undefined`); otherwise the backoff restarts from the first interval and never takes more
 * than half of what is left, so the next attempt still has time to run.
 */
export function exitRetryDelay(policy: BackoffPolicy, exitAttempt: number, failure: Pick<ExportErrorDetails, 'retryAfterMillis'>, remainingMillis: number, random: () => number): number | undefined {
  if (remainingMillis <= 0) return undefined;
  const asked = failure.retryAfterMillis;
  if (asked !== undefined && asked > 0) return asked < remainingMillis ? asked : undefined;
  const ceiling = Math.min(policy.maxIntervalMillis, policy.initialIntervalMillis * 2 ** Math.min(exitAttempt, 30));
  return Math.min(random() * ceiling, remainingMillis / 2);
}
