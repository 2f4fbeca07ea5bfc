import { ExportResultCode } from '@opentelemetry/core';
import type { DeliveryResult } from './attempt';
import { countPoints } from './batch-size';
import type { Drop, DropReason } from './delivery-listener';
import { describeCause } from './describe-cause';
import { classifyError } from './export-error';
import type { QueueEntry } from './queue-contents';

/** What becomes of a queued batch once the chain below has given its final answer. */
export interface BatchOutcome {
  /** Points the destination accepted (all of them, or the delivered part of a split batch). */
  delivered: number;
  /** The part to keep on disk for the next start (at exit, with a spool), if any. */
  keep?: QueueEntry['batch'];
  /** The part given up on, with its reason and cause, if any. */
  drop?: Drop;
}

/**
 * Decides a batch's fate from the chain's answer: delivered; at exit with a spool, what failed
 * retryably stays on disk; otherwise what is left is dropped, and the words of the drop come
 * from the failure's own cause.
 */
export function batchOutcome(entry: QueueEntry, result: DeliveryResult, at: { exiting: boolean; persistent: boolean }): BatchOutcome {
  if (result.code === ExportResultCode.SUCCESS) return { delivered: entry.points };
  const rest = result.undelivered ?? entry.batch;
  const restPoints = result.undelivered ? countPoints(rest) : entry.points;
  const delivered = entry.points - restPoints;
  const failure = classifyError(result.error);
  if (at.persistent && at.exiting && failure.retryable) return { delivered, keep: rest };
  const reason: DropReason = !failure.retryable ? 'not_retryable' : at.exiting ? 'exit' : 'retries_exhausted';
  return { delivered, drop: { points: restPoints, reason, type: failure.type, cause: describeCause(result.error), destination: failure.destination } };
}
