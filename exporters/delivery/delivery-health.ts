import { defaultLog, type Log } from '../../core/log';
import type { RateLimitedLog } from '../../core/rate-limited-log';
import type { AttemptOutcome, DeliveryListener } from './delivery-listener';
import type { ExitBudget } from './exit-budget';
import { describeCause } from './describe-cause';

/** The explicit "destination failing" signal the queue listens to. */
export interface FailureSignal {
  /** True from a failed attempt until the next successful one. */
  readonly failing: boolean;
}

/**
 * A listener that says when a destination starts failing and when it recovers, so a dead
 * collector is known within one interval, not when retry gives up: the first failed attempt
 * of an episode is one warning naming the exporter, the destination and the cause; later
 * failures are rate-limited (one a minute); the first success after them is one info line.
 * It is also the chain's FailureSignal.
 */
export class DeliveryHealth implements DeliveryListener, FailureSignal {
  private failingSince: number | undefined;
  private failedAttempts = 0;
  private readonly log: RateLimitedLog;

  constructor(private readonly name: string, private readonly exit?: ExitBudget, repeatMillis = 60_000, private readonly lines: Log = defaultLog) {
    this.log = lines.limited(repeatMillis);
  }

  get failing(): boolean {
    return this.failingSince !== undefined;
  }

  attempted(outcome: AttemptOutcome): void {
    const now = Date.now();
    const name = this.name;
    if (!outcome.failure) {
      if (this.failingSince !== undefined) {
        const seconds = ((now - this.failingSince) / 1000).toFixed(1);
        this.lines.info(`${name}: delivering again after ${seconds}s of failures; ${outcome.points} data point(s) kept meanwhile were sent`);
      }
      this.failingSince = undefined;
      this.failedAttempts = 0;
      return;
    }
    const details = outcome.failure;
    const cause = describeCause(outcome.error);
    const destination = details.destination ?? name;
    this.failedAttempts++;
    const next = this.exit?.started ? 'the process is exiting' : details.retryable ? 'retrying; the data waits in the queue' : 'not retryable; the batch is dropped';
    if (this.failingSince === undefined) {
      this.failingSince = now;
      // Not rate-limited: the first failure of an episode is always said, at once.
      this.lines.warn(`${name}: cannot deliver to ${destination}: ${cause}; ${next}`);
      this.log.mark(cause, now);
    } else {
      this.log.log(cause, `${name}: still cannot deliver to ${destination}: ${cause} (${this.failedAttempts} failed attempts in ${Math.round((now - this.failingSince) / 1000)}s); ${next}`, now);
    }
  }
}
