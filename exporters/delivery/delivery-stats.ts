/**
 * What one push exporter's delivery chain did, for self-observability and the final report.
 * The decorators write it; the self-metrics in the assembly read it.
 */
export class DeliveryStats {
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
  /** The latest failed attempt, in words, for the drop line at shutdown; cleared on success. */
  lastFailure: { cause: string; destination?: string } | undefined;
  /** When an attempt last succeeded, and last failed, in ms since the epoch. */
  lastSuccessAt: number | undefined;
  lastFailureAt: number | undefined;
  /** `error.type` of the last failed attempt. */
  lastErrorType: string | undefined;
  /** Failed attempts since the last success. */
  consecutiveFailures = 0;
  /** Told of every attempt after it is recorded (the self-metrics' duration histogram). */
  onAttempt: (seconds: number, errorType: string | undefined) => void = () => {};

  /** @param name exporter name, used as `otel.component.name`. */
  constructor(readonly name: string) {}

  /** Records one export attempt: its duration in seconds, and its error type if it failed. */
  attempted(seconds: number, errorType: string | undefined, now = Date.now()): void {
    if (errorType === undefined) {
      this.lastSuccessAt = now;
      this.consecutiveFailures = 0;
    } else {
      this.lastFailureAt = now;
      this.lastErrorType = errorType;
      this.consecutiveFailures++;
    }
    this.onAttempt(seconds, errorType);
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
