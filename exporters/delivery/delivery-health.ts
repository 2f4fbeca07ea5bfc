import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExitBudget } from './exit-budget';
import type { DeliveryStats } from './delivery-stats';
import { info, warn } from '../../src/diag';
import { classifyError, describeCause } from './export-error';
import { RateLimitedLog } from '../../src/rate-limited-log';
import { countPoints } from './batch-size';

/**
 * Says when a destination starts failing and when it recovers, so a dead collector is known
 * within one interval, not when retry gives up: the first failed attempt is one line naming the
 * exporter, the destination and the cause; later failures are rate-limited (one a minute); the
 * first success after them is one line with the points that waited.
 */
export class DeliveryHealth {
  private failingSince: number | undefined;
  private failedAttempts = 0;
  private readonly log: RateLimitedLog;

  constructor(private readonly stats: DeliveryStats, private readonly exit?: ExitBudget, repeatMillis = 60_000) {
    this.log = new RateLimitedLog(repeatMillis);
  }

  /** Records one attempt's outcome; `now` for tests. */
  record(result: ExportResult, batch: ResourceMetrics, now = Date.now()): void {
    const name = this.stats.name;
    if (result.code === ExportResultCode.SUCCESS) {
      if (this.failingSince !== undefined) {
        const seconds = ((now - this.failingSince) / 1000).toFixed(1);
        info(`${name}: delivering again after ${seconds}s of failures; ${countPoints(batch)} data point(s) kept meanwhile were sent`);
      }
      this.failingSince = undefined;
      this.failedAttempts = 0;
      this.stats.lastFailure = undefined;
      return;
    }
    const details = classifyError(result.error);
    const cause = describeCause(result.error);
    const destination = details.destination ?? name;
    this.stats.lastFailure = { cause, destination };
    this.failedAttempts++;
    const next = this.exit?.started ? 'the process is exiting' : details.retryable ? 'retrying; the data waits in the queue' : 'not retryable; the batch is dropped';
    if (this.failingSince === undefined) {
      this.failingSince = now;
      // Not rate-limited: the first failure of an episode is always said, at once.
      warn(`${name}: cannot deliver to ${destination}: ${cause}; ${next}`);
      this.log.mark(cause, now);
      return;
    }
    this.log.log(cause, `${name}: still cannot deliver to ${destination}: ${cause} (${this.failedAttempts} failed attempts in ${Math.round((now - this.failingSince) / 1000)}s); ${next}`, now);
  }
}
