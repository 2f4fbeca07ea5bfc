import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { DeliveryResult } from './attempt';
import { attemptOnce } from './attempt-once';
import { batchOutcome } from './batch-outcome';
import { QUEUE_DEFAULTS, queuePolicy } from './delivery-options';
import type { DropReason } from './delivery-listener';
import { ExitBudget } from './exit-budget';
import { forwardSelectors } from './forward-selectors';
import { QueueContents, type QueueEntry } from './queue-contents';
import type { QueueOptions } from './queue-options';
import { memoryStore, type QueueStore } from './queue-store';
import { Waiters } from './waiters';

/**
 * Decouples collection from delivery: `export` queues the batch and returns at once, so a slow
 * or dead destination never holds up collection; one batch at a time goes down the chain, in
 * order (QueueContents keeps them coalesced and bounded). It keeps no timer: it waits on the
 * chain, whose attempts the timeout layer bounds, and on the exit budget's signal.
 */
export function withQueue(exporter: PushMetricExporter, options: QueueOptions = {}): PushMetricExporter {
  return new QueueingExporter(exporter, options);
}

class QueueingExporter implements PushMetricExporter {
  private readonly contents: QueueContents;
  private readonly store: QueueStore;
  private readonly exit: ExitBudget;
  private readonly ready: Promise<void>;
  private inFlight: QueueEntry | undefined;
  private replayed = false;
  private stopped = false;
  private failedAtExit = false;
  private readonly waiters = new Waiters();

  constructor(private readonly inner: PushMetricExporter, private readonly options: QueueOptions) {
    const policy = queuePolicy(options);
    const full = `queue full (${policy.maxBatches} batches / ${policy.maxBytes} bytes, OTEL_METRICS_QUEUE_SIZE / OTEL_METRICS_QUEUE_MAX_BYTES) while the destination is slow or down; the oldest data goes first`;
    // The spool's modules (crypto, net, fs/promises) load only when a directory is configured.
    this.store = options.directory !== undefined
      ? (require('./spool-store') as typeof import('./spool-store')).spoolStore(options.directory, options.name ?? 'queue', options.spool ?? {}, memoryStore)
      : memoryStore();
    this.contents = new QueueContents(this.store, policy, options.coalesce ?? true,
      (victim) => this.drop(victim.points, 'queue_full', 'queue_full', full),
      (batches, bytes) => options.listener?.queued?.(batches, bytes));
    this.exit = options.exitBudget ?? new ExitBudget(options.drainTimeoutMillis ?? QUEUE_DEFAULTS.drainTimeoutMillis);
    this.exit.signal.addEventListener('abort', () => this.pump(), { once: true });
    this.ready = this.store.claim().then((found) => {
      this.contents.prepend(found, this.inFlight);
      this.replayed = true;
      this.pump();
    });
    forwardSelectors(this, inner);
  }

  selectAggregationTemporality?: (kind: InstrumentType) => AggregationTemporality;
  selectAggregation?: (kind: InstrumentType) => AggregationOption;

  export(batch: ResourceMetrics, done: (result: ExportResult) => void): void {
    if (this.stopped) return done({ code: ExportResultCode.FAILED, error: new Error('queue is shut down') });
    try {
      this.contents.add(batch, this.inFlight);
    } catch (error) {
      return done({ code: ExportResultCode.FAILED, error: error as Error });
    }
    done({ code: ExportResultCode.SUCCESS });
    this.pump();
  }

  /** Waits until nothing is left: at exit within the budget, otherwise at most `drainTimeoutMillis`. */
  async forceFlush(): Promise<void> {
    await this.drain(this.exit.started ? undefined : AbortSignal.timeout(this.options.drainTimeoutMillis ?? QUEUE_DEFAULTS.drainTimeoutMillis));
    await this.store.settle();
    // At exit an attempt the timeout already gave up on may still be open below: do not wait for it.
    if (!this.exit.started) await this.inner.forceFlush();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.exit.start();
    const release = this.options.exitBudget ? () => {} : this.exit.hold();
    await this.drain();
    const left = this.contents.takeAll();
    for (const e of left) e.settled = true;
    await this.store.settle();
    // Only what the spool really holds is said to be kept (a full disk fails writes).
    const kept = left.filter((e) => this.store.isKept(e.id)).reduce((n, e) => n + e.points, 0);
    const lost = left.reduce((n, e) => n + e.points, 0) - kept;
    if (kept > 0) this.options.listener?.kept?.(kept, this.store.where ?? 'the spool');
    if (lost > 0) this.drop(lost, 'exit', 'shutdown', this.store.persistent ? `could not be written to ${this.store.where}` : `not sent before ${this.exit.describe()} ran out`);
    this.store.close();
    // A shared budget belongs to the pipeline, which ends it once every chain is done.
    if (!this.options.exitBudget) this.exit.end();
    release();
    await this.inner.shutdown();
  }

  private pump(): void {
    if (!this.replayed || this.inFlight) return;
    const waiting = this.contents.entries;
    if (this.exit.expired && waiting.length && !this.store.persistent) {
      // Never attempted: the words say so, not whatever another batch's attempt saw.
      for (const e of [...waiting]) {
        this.contents.remove(e);
        this.drop(e.points, 'exit', 'shutdown', `not sent before ${this.exit.describe()} ran out`);
      }
    }
    if (waiting.length === 0 || this.parked()) return this.waiters.wakeAll();
    const entry = waiting[0]!;
    this.inFlight = entry;
    void attemptOnce(this.inner, entry.batch).then((result) => {
      this.inFlight = undefined;
      if (!entry.settled) this.settle(entry, result);
      // Delivered after shutdown gave up waiting: keep the next start from sending it again.
      else if (result.code === ExportResultCode.SUCCESS) this.store.remove(entry.id);
      this.pump();
      this.waiters.wakeAll();
    });
  }

  private settle(entry: QueueEntry, result: DeliveryResult): void {
    const outcome = batchOutcome(entry, result, { exiting: this.exit.started, persistent: this.store.persistent });
    if (outcome.delivered > 0) this.options.listener?.delivered?.(outcome.delivered);
    if (outcome.keep) {
      this.failedAtExit = true;
      if (outcome.keep !== entry.batch) this.contents.save(entry, outcome.keep);
      return;
    }
    this.contents.remove(entry);
    if (outcome.drop) this.drop(outcome.drop.points, outcome.drop.reason, outcome.drop.type, outcome.drop.cause, outcome.drop.destination);
  }

  private drop(points: number, reason: DropReason, type: string, cause: string, destination?: string): void {
    if (points > 0) this.options.listener?.dropped?.({ points, reason, type, cause, destination });
  }

  /** At exit with a spool, once the destination is failing, waiting data is safe on disk: nothing more is sent. */
  private parked(): boolean {
    return this.store.persistent && this.exit.started && (this.failedAtExit || this.options.health?.failing === true || this.exit.expired);
  }

  /**
   * Resolves once nothing is queued or in flight (or all is parked on disk), or when `until`
   * aborts (a flush's own bound while the app runs). When the exit budget runs out, an attempt
   * in flight ends at that same moment (its signal holds the budget's) and is waited for, so
   * its own cause is what its drop line says; a private budget is shared with nobody below,
   * so its end is the end of the wait.
   */
  private async drain(until?: AbortSignal): Promise<void> {
    await this.ready;
    const shared = this.options.exitBudget !== undefined;
    const bounds = [until, shared ? undefined : this.exit.signal].filter((s): s is AbortSignal => s !== undefined);
    const bound = bounds.length > 1 ? AbortSignal.any(bounds) : bounds[0];
    for (;;) {
      const idle = !this.inFlight && (this.contents.entries.length === 0 || this.parked());
      if (idle || until?.aborted) return;
      if (this.exit.expired && !(shared && this.inFlight)) return;
      await this.waiters.wait(bound);
    }
  }
}
