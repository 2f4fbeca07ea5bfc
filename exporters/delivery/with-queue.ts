import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { QUEUE_DEFAULTS, queuePolicy, type QueuePolicyOptions } from '../../src/config/delivery-options';
import { settleWithin } from '../../src/deadline';
import { DeliveryStats } from '../../src/delivery-stats';
import { error as logError, warn } from '../../src/diag';
import { classifyError } from '../../src/export-error';
import { RateLimitedLog } from '../../src/rate-limited-log';
import { countPoints, estimateBytes } from './batch-size';
import { coalesce } from './coalesce';
import type { Spool } from './spool';
import { forwardSelectors } from './forward-selectors';
import { attemptOnce } from './attempt-once';

/** Options for {@link withQueue}: the queue policy (see QueuePolicyOptions for env vars and defaults) and its hooks. */
export interface QueueOptions extends QueuePolicyOptions {
  /** How long forceFlush and shutdown wait for the queue to drain, in ms; default 30000 (the export timeout). */
  drainTimeoutMillis?: number;
  /** Merge batches stream by stream while they wait; default true. */
  coalesce?: boolean;
  /** Counters this queue updates; default a private one. */
  stats?: DeliveryStats;
}

interface Entry {
  batch: ResourceMetrics;
  points: number;
  bytes: number;
  id?: string;
  settled?: boolean;
}

/**
 * Decouples collection from delivery: `export` queues the batch and returns at once, so a slow
 * or dead destination never holds up collection; one batch at a time is sent to the wrapped
 * exporter in order. While batches wait they are coalesced, so memory follows the number of
 * streams, not the length of an outage. Bounded by batches and bytes: past either, the oldest
 * waiting data is dropped, counted, and reported once per episode. With a directory, every
 * waiting batch is also on disk and replayed by the next process.
 */
export function withQueue(exporter: PushMetricExporter, options: QueueOptions = {}): PushMetricExporter {
  return new QueueingExporter(exporter, options);
}

class QueueingExporter implements PushMetricExporter {
  private readonly entries: Entry[] = [];
  private inFlight: Entry | undefined;
  private readonly maxBatches: number;
  private readonly maxBytes: number;
  private readonly drainTimeout: number;
  private readonly merge: boolean;
  private readonly stats: DeliveryStats;
  private readonly spool: Spool | undefined;
  private readonly ready: Promise<void>;
  private readonly log = new RateLimitedLog();
  private bytes = 0;
  private replayed = false;
  private dropping = false;
  private stopped = false;
  private flushTimedOutAt = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly inner: PushMetricExporter, options: QueueOptions) {
    const policy = queuePolicy(options);
    this.maxBatches = policy.maxBatches;
    this.maxBytes = policy.maxBytes;
    this.drainTimeout = options.drainTimeoutMillis ?? QUEUE_DEFAULTS.drainTimeoutMillis;
    this.merge = options.coalesce ?? true;
    this.stats = options.stats ?? new DeliveryStats('queue');
    this.stats.queueCapacity = this.maxBatches;
    this.stats.queueMaxBytes = this.maxBytes;
    this.spool = options.directory !== undefined ? openSpool(options.directory, this.stats.name) : undefined;
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
    await this.inner.forceFlush();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    // The reader flushes just before it shuts down: do not wait a second full timeout.
    const waitedAlready = Date.now() - this.flushTimedOutAt < this.drainTimeout;
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
        logError(`${this.stats.name}: dropped ${points} data point(s) at shutdown: not delivered within ${this.drainTimeout}ms; set OTEL_METRICS_QUEUE_DIR to keep them across restarts`);
      }
      this.entries.length = 0;
      this.updateGauges();
    }
    await this.inner.shutdown();
  }

  private async replay(): Promise<void> {
    const found = this.spool ? await this.spool.claim() : [];
    // Replayed data is older than anything queued meanwhile: it goes first.
    this.entries.unshift(...found.map(({ id, batch, points, bytes }) => ({ id, batch, points, bytes })));
    this.bytes += found.reduce((n, e) => n + e.bytes, 0);
    this.replayed = true;
    this.enforceBounds();
    this.pump();
  }

  private enqueue(batch: ResourceMetrics): void {
    const tail = this.entries.at(-1);
    if (this.merge && tail && tail !== this.inFlight) {
      const { merged, leftover } = coalesce(tail.batch, batch);
      this.replaceBatch(tail, merged);
      if (leftover) this.append(leftover);
    } else {
      this.append(batch);
    }
    this.enforceBounds();
  }

  private append(batch: ResourceMetrics): void {
    const entry: Entry = { batch, points: 0, bytes: 0, id: this.spool?.nextId() };
    this.entries.push(entry);
    this.replaceBatch(entry, batch);
  }

  private replaceBatch(entry: Entry, batch: ResourceMetrics): void {
    entry.batch = batch;
    entry.points = countPoints(batch);
    this.bytes -= entry.bytes;
    if (this.spool && entry.id) {
      // On disk the bound counts real bytes, so the spool never exceeds it either.
      const record = (require('./spool-codec') as typeof import('./spool-codec')).encodeSpoolRecord(batch);
      entry.bytes = record.length;
      void this.spool.write(entry.id, record);
    } else {
      entry.bytes = estimateBytes(batch);
    }
    this.bytes += entry.bytes;
    this.updateGauges();
  }

  private enforceBounds(): void {
    while (this.entries.length > this.maxBatches || this.bytes > this.maxBytes) {
      const victim = this.entries.find((e) => e !== this.inFlight);
      if (!victim) break;
      this.remove(victim);
      this.stats.fail('queue_full', victim.points);
      if (!this.dropping) {
        this.dropping = true;
        warn(`${this.stats.name}: queue full (${this.maxBatches} batches / ${this.maxBytes} bytes): dropping the oldest data while the destination is slow or down; the count is in otel_metrics_pipeline.dropped`);
      }
    }
    this.updateGauges();
  }

  private remove(entry: Entry): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
    this.bytes -= entry.bytes;
    if (this.spool && entry.id) void this.spool.remove(entry.id);
    this.updateGauges();
  }

  private pump(): void {
    if (!this.replayed) return;
    if (this.inFlight || this.entries.length === 0) return this.notifyIdle();
    const entry = this.entries[0]!;
    this.inFlight = entry;
    void attemptOnce(this.inner, entry.batch).then((result) => {
      this.inFlight = undefined;
      if (!entry.settled) {
        entry.settled = true;
        this.remove(entry);
        this.account(entry, result);
      }
      if (!this.stopped || this.entries.length) this.pump();
      else this.notifyIdle();
    });
  }

  private account(entry: Entry, result: ExportResult): void {
    if (result.code === ExportResultCode.SUCCESS) {
      this.stats.exportedPoints += entry.points;
      if (this.entries.length === 0) this.dropping = false;
      return;
    }
    const failure = classifyError(result.error);
    this.stats.fail(failure.type, entry.points);
    const why = failure.retryable ? 'retries exhausted' : 'not retryable';
    const where = failure.destination ? ` for ${failure.destination}` : '';
    this.log.log(`${this.stats.name}:${failure.type}`, `${this.stats.name}: dropped ${entry.points} data point(s)${where}: ${result.error?.message ?? 'export failed'} (${why})`);
  }

  private updateGauges(): void {
    this.stats.queueSize = this.entries.length;
    this.stats.queueBytes = Math.max(0, this.bytes);
  }

  private notifyIdle(): void {
    if (this.inFlight || this.entries.length) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves true once nothing is queued or in flight, false if `drainTimeout` passes first. */
  private async drain(): Promise<boolean> {
    await this.ready;
    if (!this.inFlight && this.entries.length === 0) return true;
    return settleWithin(new Promise<void>((idle) => this.idleWaiters.push(idle)), this.drainTimeout);
  }
}

// The spool's modules (crypto, fs/promises) load only when a directory is configured. A
// directory that cannot be used costs the spool, not the pipeline.
function openSpool(directory: string, name: string): Spool | undefined {
  try {
    return new (require('./spool') as typeof import('./spool')).Spool(directory);
  } catch (err) {
    warn(`${name}: cannot use the spool directory ${directory} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); keeping the queue in memory only`);
    return undefined;
  }
}
