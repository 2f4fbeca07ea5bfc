import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { QUEUE_DEFAULTS, queuePolicy, type QueuePolicyOptions } from './delivery-options';
import { settleWithin, type ExitBudget } from './exit-budget';
import { DeliveryStats } from './delivery-stats';
import { error as logError, warn } from '../../src/diag';
import { classifyError, describeCause } from './export-error';
import { RateLimitedLog } from '../../src/rate-limited-log';
import { attemptOnce } from './attempt-once';
import { countPoints, estimateBytes } from './batch-size';
import { coalesce } from './coalesce';
import { forwardSelectors } from './forward-selectors';
import type { Spool } from './spool';
import { splitBatch } from './split-batch';

/** Options for {@link withQueue}: the queue policy (see QueuePolicyOptions for env vars and defaults) and its hooks. */
export interface QueueOptions extends QueuePolicyOptions {
  /** How long forceFlush waits for the queue to drain, in ms; default 30000 (the export timeout). */
  drainTimeoutMillis?: number;
  /** Largest request sent, estimated as encoded OTLP, in bytes; bigger batches are split by streams; default 3 MiB. */
  maxRequestBytes?: number;
  /** Merge batches stream by stream while they wait; default true. */
  coalesce?: boolean;
  /** Counters this queue updates; default a private one. */
  stats?: DeliveryStats;
  /** Shared exit deadline: once started, drains wait only what is left of it; with a spool, not at all. */
  exitBudget?: ExitBudget;
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

/** Default largest request: under the 4 MiB a Collector's gRPC receiver accepts by default. */
const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

/**
 * Decouples collection from delivery: `export` queues the batch and returns at once, so a slow
 * or dead destination never holds up collection; one batch at a time is sent to the wrapped
 * exporter in order, split by streams when it is larger than one request should be. While
 * batches wait they are coalesced, so memory follows the number of streams, not the length of
 * an outage. The byte and batch bounds apply to data waiting behind a slow or dead
 * destination: past either, the oldest waiting data is dropped (never the newest collection),
 * counted, and reported once per episode. With a directory, every waiting batch is also on disk
 * and replayed by the next process.
 */
export function withQueue(exporter: PushMetricExporter, options: QueueOptions = {}): PushMetricExporter {
  return new QueueingExporter(exporter, options);
}

class QueueingExporter implements PushMetricExporter {
  private readonly entries: Entry[] = [];
  private inFlight: Entry | undefined;
  private readonly policy: ReturnType<typeof queuePolicy>;
  private readonly maxRequestBytes: number;
  private readonly stats: DeliveryStats;
  private readonly spool: Spool | undefined;
  private readonly ready: Promise<void>;
  private readonly log = new RateLimitedLog();
  private bytes = 0;
  private generation = 0;
  private replayed = false;
  private dropping = false;
  private stopped = false;
  private flushTimedOutAt = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly inner: PushMetricExporter, private readonly options: QueueOptions) {
    this.policy = queuePolicy(options);
    this.maxRequestBytes = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
    this.stats = options.stats ?? new DeliveryStats('queue');
    this.stats.queueCapacity = this.policy.maxBatches;
    this.stats.queueMaxBytes = this.policy.maxBytes;
    // The spool's modules (crypto, net, fs/promises) load only when a directory is configured.
    this.spool = options.directory !== undefined ? (require('./spool') as typeof import('./spool')).openSpool(options.directory, this.stats.name) : undefined;
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

  async forceFlush(): Promise<void> {
    const drained = await this.drain();
    await this.spool?.settle();
    if (!drained) {
      this.flushTimedOutAt = Date.now();
      return; // the wrapped exporter's flush would only wait on the same stuck request
    }
    // At exit, an attempt the timeout already gave up on may still be open below: do not wait for it.
    if (!this.options.exitBudget?.started) await this.inner.forceFlush();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    // The reader flushes just before it shuts down: without an exit budget, do not wait a second full timeout.
    const waitedAlready = !this.options.exitBudget?.started && Date.now() - this.flushTimedOutAt < this.drainTimeout();
    if (!waitedAlready) await this.drain();
    const left = [...this.entries];
    if (left.length) {
      for (const e of left) e.settled = true;
      const points = left.reduce((n, e) => n + e.points, 0);
      if (this.spool) {
        await this.spool.settle();
        warn(`${this.stats.name}: ${points} data point(s) not yet delivered are kept in ${this.spool.dir} and will be sent by the next start`);
      } else {
        this.stats.fail('shutdown', points);
        const last = this.stats.lastFailure;
        const why = last ? `last attempt to ${last.destination}: ${last.cause}` : 'no answer yet';
        const budget = this.options.exitBudget?.started ? `the ${this.options.exitBudget.millis}ms exit budget (OTEL_METRICS_SHUTDOWN_TIMEOUT)` : `${this.drainTimeout()}ms`;
        logError(`${this.stats.name}: dropped ${points} data point(s) at shutdown, not delivered within ${budget}; ${why}; set OTEL_METRICS_QUEUE_DIR to keep them across restarts`);
      }
      this.entries.length = 0;
      this.updateGauges();
    }
    await this.spool?.settle();
    this.spool?.close();
    await this.inner.shutdown();
  }

  private drainTimeout(): number {
    return this.options.drainTimeoutMillis ?? QUEUE_DEFAULTS.drainTimeoutMillis;
  }

  private async replay(): Promise<void> {
    const found = this.spool ? await this.spool.claim() : [];
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
      this.replaceBatch(tail, merged);
      if (leftover) this.append(leftover);
    } else {
      this.append(batch);
    }
    this.enforceBounds();
  }

  private append(batch: ResourceMetrics, at = this.entries.length, generation = this.generation): Entry {
    const entry: Entry = { batch, points: 0, bytes: 0, generation, id: this.spool?.nextId() };
    this.entries.splice(at, 0, entry);
    this.replaceBatch(entry, batch);
    return entry;
  }

  private replaceBatch(entry: Entry, batch: ResourceMetrics): void {
    entry.batch = batch;
    entry.points = countPoints(batch);
    this.bytes -= entry.bytes;
    // On disk the bound counts real bytes, so the spool never exceeds it either.
    entry.bytes = this.spool && entry.id ? this.spool.write(entry.id, batch) : estimateBytes(batch);
    this.bytes += entry.bytes;
    this.updateGauges();
  }

  private enforceBounds(): void {
    while (this.entries.length > this.policy.maxBatches || this.bytes > this.policy.maxBytes) {
      const victim = this.entries.find((e) => e !== this.inFlight && e.generation < this.generation);
      if (!victim) break;
      this.remove(victim);
      this.stats.fail('queue_full', victim.points);
      if (!this.dropping) {
        this.dropping = true;
        warn(`${this.stats.name}: queue full (${this.policy.maxBatches} batches / ${this.policy.maxBytes} bytes): dropping the oldest data while the destination is slow or down; the count is in otel_metrics_pipeline.dropped`);
      }
    }
    this.updateGauges();
  }

  private remove(entry: Entry): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
    this.bytes -= entry.bytes;
    if (this.spool && entry.id) this.spool.remove(entry.id);
    this.updateGauges();
  }

  private pump(): void {
    if (!this.replayed || this.inFlight) return;
    if (this.entries.length === 0 || this.parked()) return this.notifyIdle();
    const entry = this.splitHead();
    this.inFlight = entry;
    void attemptOnce(this.inner, entry.batch).then((result) => {
      this.inFlight = undefined;
      if (!entry.settled && result.code !== ExportResultCode.SUCCESS && this.spool && this.options.exitBudget?.started) {
        // At exit a failed batch stays on disk for the next start instead of being dropped.
        this.stats.lastFailure ??= { cause: 'export failed' };
      } else if (!entry.settled) {
        entry.settled = true;
        this.remove(entry);
        this.account(entry, result);
      } else if (result.code === ExportResultCode.SUCCESS && this.spool && entry.id) {
        // Delivered after shutdown gave up waiting: keep the next start from sending it again.
        this.spool.remove(entry.id);
      }
      this.pump();
    });
  }

  // A batch larger than one request is sent as several, whole streams each.
  private splitHead(): Entry {
    const head = this.entries[0]!;
    // Without a spool `bytes` is already the encoded-size estimate; with one it is the file's size.
    const size = this.spool ? estimateBytes(head.batch) : head.bytes;
    if (size <= this.maxRequestBytes) return head;
    const parts = splitBatch(head.batch, this.maxRequestBytes);
    if (parts.length < 2) return head;
    parts.forEach((part, i) => this.append(part, i + 1, head.generation));
    this.remove(head);
    return this.entries[0]!;
  }

  private account(entry: Entry, result: ExportResult): void {
    if (result.code === ExportResultCode.SUCCESS) {
      this.stats.exportedPoints += entry.points;
      if (this.entries.length === 0) this.dropping = false;
      return;
    }
    const failure = classifyError(result.error);
    this.stats.fail(failure.type, entry.points);
    const why = !failure.retryable ? 'not retryable' : this.options.exitBudget?.started ? 'at shutdown, no time left to retry' : 'retries exhausted';
    const where = failure.destination ? ` for ${failure.destination}` : '';
    this.log.log(`${this.stats.name}:${failure.type}`, `${this.stats.name}: dropped ${entry.points} data point(s)${where}: ${describeCause(result.error)} (${why})`);
  }

  private updateGauges(): void {
    this.stats.queueSize = this.entries.length;
    this.stats.queueBytes = Math.max(0, this.bytes);
  }

  /**
   * At exit with a spool, once the destination is known to be failing, waiting data is already
   * safe on disk: nothing more is sent and the exit does not wait for the network. A healthy
   * destination still gets its last attempts.
   */
  private parked(): boolean {
    return this.spool !== undefined && this.options.exitBudget?.started === true && this.stats.lastFailure !== undefined;
  }

  private notifyIdle(): void {
    if (this.inFlight || (this.entries.length && !this.parked())) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves true once nothing is queued or in flight, false if the drain timeout (or the exit budget) passes first. */
  private async drain(): Promise<boolean> {
    await this.ready;
    const exit = this.options.exitBudget;
    if (this.parked()) return this.entries.length === 0;
    if (!this.inFlight && this.entries.length === 0) return true;
    // At exit the budget alone bounds the wait: the export timeout may be as short as the interval.
    const millis = exit?.started ? exit.remaining() : this.drainTimeout();
    if (millis <= 0) return false;
    return settleWithin(new Promise<void>((idle) => this.idleWaiters.push(idle)), millis);
  }
}
