import { defaultLog, type Log } from '../../core/log';
import type { RateLimitedLog } from '../../core/rate-limited-log';
import type { DeliveryListener, Drop, DropReason } from './delivery-listener';


/**
 * A listener that reports every drop promptly, at error level (the data is gone for good):
 * one line naming the exporter, the points, the destination, the cause and why it was given
 * up on; at most one a minute for each cause. Data kept on disk at exit is a warning.
 */
export class DropReport implements DeliveryListener {
  private readonly log: RateLimitedLog;

  private readonly reasons: Record<DropReason, string>;

  /** @param exitBudgetWords how the exit budget is named in the reason, e.g. `the 3000ms exit budget (OTEL_METRICS_SHUTDOWN_TIMEOUT)`. */
  constructor(private readonly name: string, exitBudgetWords = 'the exit budget', repeatMillis = 60_000, private readonly lines: Log = defaultLog) {
    this.log = lines.limited(repeatMillis, 'error');
    this.reasons = {
      not_retryable: 'not retryable',
      retries_exhausted: 'retries exhausted',
      exit: `the process is exiting, within ${exitBudgetWords}; set OTEL_METRICS_QUEUE_DIR to keep such data across restarts`,
      queue_full: 'over the queue bound',
      shutdown: 'shut down',
    };
  }

  kept(points: number, where: string): void {
    this.lines.warn(`${this.name}: ${points} data point(s) not yet delivered are kept in ${where} and will be sent by the next start`);
  }

  dropped(drop: Drop): void {
    const where = drop.destination ? ` for ${drop.destination}` : '';
    this.log.log(`${drop.reason}:${drop.type}`, `${this.name}: dropped ${drop.points} data point(s)${where}: ${drop.cause} (${this.reasons[drop.reason]})`);
  }
}
