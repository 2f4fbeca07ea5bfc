import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { DeliveryResult } from './attempt';
import { attemptOnce } from './attempt-once';
import { countPoints } from './batch-size';
import { coalesce } from './coalesce';
import { QUEUE_DEFAULTS, queuePolicy, type QueuePolicyOptions } from './delivery-options';
import type { DeliveryListener, DropReason } from './delivery-listener';
import type { FailureSignal } from './delivery-health';
import { ExitBudget } from './exit-budget';
import { classifyError } from './export-error';
import { describeCause } from './describe-cause';
import { forwardSelectors } from './forward-selectors';
import { memoryStore, type QueueStore } from './queue-store';

/** Options for {@link withQueue}: the queue policy (see QueuePolicyOptions for env vars and defaults) and its hooks. */
export interface QueueOptions extends QueuePolicyOptions {
  /** Merge batches stream by stream while they wait; default true. */
  coalesce?: boolean;
  /** Told of deliveries, drops and the queue's size. */
  listener?: DeliveryListener;
  /** The shared exit deadline; default one of `drainTimeoutMillis` that shutdown starts. */
  exitBudget?: ExitBudget;
  /** Without a shared exit budget: how long shutdown waits, in ms; default 30000. */
  drainTimeoutMillis?: number;
  /** Says when the destination is failing: a flush stops waiting then, and at exit a spool keeps the data without trying. */
  health?: FailureSignal;
  /** Names the queue in the spool's lines; default `queue`. */
  name?: string;
}

interface Entry {
  batch: ResourceMetrics;
  points: number;
  bytes: number;
  /** Which collection this data came from; the newest one is never dropped for the bounds. */
  generation: number;
  id?: string;
  settled?: boolean;
}

/**
 * Decouples collection from delivery: `export` queues the batch and returns at once, so a slow
 * or dead destination never holds up collection; one batch at a time goes down the chain, in
 * order. Waiting batches are coalesced, so memory follows the number of streams, not the
 * length of an outage. The bounds apply to waiting data: past either, the oldest is dropped
 * (never the newest collection). It keeps no timer: it waits on the chain, whose attempts the
 * timeout layer bounds, and on the exit budget's signal.
 */
export function withQueue(exporter: PushMetricExporter, options: QueueOptions = {}): PushMetricExporter {
  return new QueueingExporter(exporter, options);
}

class QueueingExporter implements PushMetricExporter {
  private readonly entries: Entry[] = [];
  private inFlight: Entry | undefined;
  private readonly policy: ReturnType<typeof queuePolicy>;
  private readonly store: QueueStore;
  private readonly exit: ExitBudget;
  private readonly ready: Promise<void>;
  private bytes = 0;
  private generation = 0;
  private replayed = false;
  private stopped = false;
  private waiters: Array<() => void> = [];

  constructor(private readonly inner: PushMetricExporter, private readonly options: QueueOptions) {
    this.policy = queuePolicy(options);
    // The spool's modules (crypto, net, fs/promises) load only when a directory is configured.
    this.store = options.directory !== undefined
      ? (require('./spool-store') as typeof import('./spool-store')).spoolStore(options.directory, options.name ?? 'queue', memoryStore)
      : memoryStore();
    this.exit = options.exitBudget ?? new ExitBudget(options.drainTimeoutMillis ?? QUEUE_DEFAULTS.drainTimeoutMillis);
    this.exit.signal.addEventListener('abort', () => this.pump(), { once: true });
    options.health?.onFailure(() => this.wake());
    this.ready = this.replay();
    forwardSelectors(this, inner);
  }

  selectAggregationTemporality?: (kind: InstrumentType) => AggregationTemporality;
  selectAggregation?: (kind: InstrumentType) => AggregationOption;

  export(batch: ResourceMetrics, done: (result: ExportResult) => void): void {
    if (this.stopped) return done({ code: ExportResultCode.FAILED, error: new Error('queue is shut down') });
    try {
      this.enqueue(batch);
    } catch (error) {
      return done({ code: ExportResultCode.FAILED, error: error as Error });
    }
    done({ code: ExportResultCode.SUCCESS });
    this.pump();
  }

  /** Waits until nothing is left, or (while the app runs) until the destination is known to be failing. */
  async forceFlush(): Promise<void> {
    await this.drain(!this.exit.started);
    await this.store.settle();
    // At exit an attempt the timeout already gave up on may still be open below: do not wait for it.
    if (!this.exit.started) await this.inner.forceFlush();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.exit.start();
    await this.drain(false);
    const left = this.entries.splice(0);
    this.inFlight = undefined;
    for (const e of left) e.settled = true;
    const points = left.reduce((n, e) => n + e.points, 0);
    if (points > 0 && this.store.persistent) {
      this.options.listener?.kept?.(points, this.store.where ?? 'the spool');
    } else if (points > 0) {
      this.drop(points, 'exit', 'shutdown', `not sent before ${this.exit.describe()} ran out`);
    }
    this.bytes = 0;
    this.changed();
    await this.store.settle();
    this.store.close();
    this.exit.end();
    await this.inner.shutdown();
  }

  private async replay(): Promise<void> {
    const found = await this.store.claim();
    // Replayed data is older than anything queued meanwhile: it goes first.
    this.entries.unshift(...found.map(({ id, batch, points, bytes }) => ({ id, batch, points, bytes, generation: -1 })));
    this.bytes += found.reduce((n, e) => n + e.bytes, 0);
    this.replayed = true;
    this.enforceBounds();
    this.pump();
  }

  private enqueue(batch: ResourceMetrics): void {
    this.generation++;
    const tail = this.entries.at(-1);
    if ((this.options.coalesce ?? true) && tail && tail !== this.inFlight) {
      const { merged, leftover } = coalesce(tail.batch, batch);
      tail.generation = this.generation;
      this.save(tail, merged);
      if (leftover) this.append(leftover);
    } else {
      this.append(batch);
    }
    this.enforceBounds();
  }

  private append(batch: ResourceMetrics): void {
    const entry: Entry = { batch, points: 0, bytes: 0, generation: this.generation, id: this.store.nextId() };
    this.entries.push(entry);
    this.save(entry, batch);
  }

  private save(entry: Entry, batch: ResourceMetrics): void {
    entry.batch = batch;
    entry.points = countPoints(batch);
    this.bytes += -entry.bytes + (entry.bytes = this.store.save(entry.id, batch));
    this.changed();
  }

  private enforceBounds(): void {
    while (this.entries.length > this.policy.maxBatches || this.bytes > this.policy.maxBytes) {
      const victim = this.entries.find((e) => e !== this.inFlight && e.generation < this.generation);
      if (!victim) break;
      this.remove(victim);
      this.drop(victim.points, 'queue_full', 'queue_full', `queue full (${this.policy.maxBatches} batches / ${this.policy.maxBytes} bytes, OTEL_METRICS_QUEUE_SIZE / OTEL_METRICS_QUEUE_MAX_BYTES) while the destination is slow or down; the oldest data goes first`);
    }
  }

  private remove(entry: Entry): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
    this.bytes -= entry.bytes;
    this.store.remove(entry.id);
    this.changed();
  }

  private pump(): void {
    if (!this.replayed || this.inFlight) return;
    if (this.exit.expired && this.entries.length && !this.store.persistent) {
      // Never attempted: the words say so, not whatever the last attempt of another batch saw.
      for (const e of this.entries.splice(0)) this.remove(e), this.drop(e.points, 'exit', 'shutdown', `not sent before ${this.exit.describe()} ran out`);
    }
    if (this.entries.length === 0 || this.parked()) return this.wake();
    const entry = this.entries[0]!;
    this.inFlight = entry;
    void attemptOnce(this.inner, entry.batch).then((result) => {
      if (this.inFlight === entry) this.inFlight = undefined;
      if (entry.settled) {
        // Delivered after shutdown gave up waiting: keep the next start from sending it again.
        if (result.code === ExportResultCode.SUCCESS) this.store.remove(entry.id);
      } else {
        this.settle(entry, result);
      }
      this.pump();
      this.wake();
    });
  }

  private settle(entry: Entry, result: DeliveryResult): void {
    if (result.code === ExportResultCode.SUCCESS) {
      this.remove(entry);
      this.options.listener?.delivered?.(entry.points);
      return;
    }
    const rest = result.undelivered ?? entry.batch;
    const restPoints = result.undelivered ? countPoints(rest) : entry.points;
    if (entry.points > restPoints) this.options.listener?.delivered?.(entry.points - restPoints);
    const failure = classifyError(result.error);
    if (this.store.persistent && this.exit.started && failure.retryable) {
      // At exit a batch that could not go stays on disk for the next start instead of being dropped.
      this.failedAtExit = true;
      if (rest !== entry.batch) this.save(entry, rest);
      return;
    }
    this.remove(entry);
    const reason: DropReason = !failure.retryable ? 'not_retryable' : this.exit.started ? 'exit' : 'retries_exhausted';
    this.drop(restPoints, reason, failure.type, describeCause(result.error), failure.destination);
  }

  private failedAtExit = false;

  private drop(points: number, reason: DropReason, type: string, cause: string, destination?: string): void {
    if (points > 0) this.options.listener?.dropped?.({ points, reason, type, cause, destination });
  }

  private changed(): void {
    this.options.listener?.queued?.(this.entries.length, this.bytes);
  }

  /** At exit with a spool, once the destination is failing, waiting data is safe on disk: nothing more is sent. */
  private parked(): boolean {
    return this.store.persistent && this.exit.started && (this.failedAtExit || this.options.health?.failing === true || this.exit.expired);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /**
   * Resolves once nothing is queued or in flight (or all is parked on disk), or, with
   * `untilFailing`, once the destination is failing. When the exit budget runs out, an attempt
   * in flight ends at that same moment (its signal holds the budget's) and is waited for, so
   * its own cause is what its drop line says; a private budget is shared with nobody below,
   * so its end is the end of the wait.
   */
  private async drain(untilFailing: boolean): Promise<void> {
    await this.ready;
    const shared = this.options.exitBudget !== undefined;
    for (;;) {
      const idle = !this.inFlight && (this.entries.length === 0 || this.parked());
      if (idle || (untilFailing && this.options.health?.failing)) return;
      if (this.exit.expired && !(shared && this.inFlight)) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.exit.signal.removeEventListener('abort', done);
          resolve();
        };
        this.waiters.push(done);
        if (!shared) this.exit.signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}
