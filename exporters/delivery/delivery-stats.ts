import type { AttemptOutcome, DeliveryListener, Drop } from './delivery-listener';

/**
 * What one push exporter's delivery chain did, for self-observability and the health report:
 * a listener of the chain that only counts. Nothing in the chain reads it back.
 */
export class DeliveryStats implements DeliveryListener {
  /** Points delivered. */
  exportedPoints = 0;
  /** Points given up on, by `error.type` (HTTP status, gRPC code, `queue_full`, `shutdown`, …). */
  readonly failedPoints = new Map<string, number>();
  /** Points the destination accepted the request for but rejected (OTLP partial success). */
  rejectedPoints = 0;
  /** Export attempts that were retries. */
  retries = 0;
  /** Batches in the queue now, and its capacity. */
  queueSize = 0;
  queueCapacity = 0;
  /** Estimated bytes held by the queue now, and its bound. */
  queueBytes = 0;
  queueMaxBytes = 0;
  /** When an attempt last succeeded, and last failed, in ms since the epoch. */
  lastSuccessAt: number | undefined;
  lastFailureAt: number | undefined;
  /** `error.type` of the last failed attempt. */
  lastErrorType: string | undefined;
  /** Failed attempts since the last success. */
  consecutiveFailures = 0;
  /** Told of every attempt after it is counted (the self-metrics' duration histogram). */
  onAttempt: (seconds: number, errorType: string | undefined) => void = () => {};

  /** @param name exporter name, used as `otel.component.name`. */
  constructor(readonly name: string) {}

  attempted(outcome: AttemptOutcome): void {
    const type = outcome.failure?.type;
    if (type === undefined) {
      this.lastSuccessAt = Date.now();
      this.consecutiveFailures = 0;
    } else {
      this.lastFailureAt = Date.now();
      this.lastErrorType = type;
      this.consecutiveFailures++;
    }
    this.onAttempt(outcome.seconds, type);
  }

  retrying(): void {
    this.retries++;
  }

  delivered(points: number): void {
    this.exportedPoints += points;
  }

  dropped(drop: Drop): void {
    this.fail(drop.type, drop.points);
  }

  queued(batches: number, bytes: number): void {
    this.queueSize = batches;
    this.queueBytes = Math.max(0, bytes);
  }

  /** Adds `points` to the failed count for `type`. */
  fail(type: string, points: number): void {
    if (points > 0) this.failedPoints.set(type, (this.failedPoints.get(type) ?? 0) + points);
  }

  /** Total points given up on, all reasons. */
  get droppedPoints(): number {
    let total = 0;
    for (const n of this.failedPoints.values()) total += n;
    return total;
  }
}
