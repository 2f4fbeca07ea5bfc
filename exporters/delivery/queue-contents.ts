import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { countPoints } from './batch-size';
import { coalesce } from './coalesce';
import type { queuePolicy } from './delivery-options';
import type { QueueStore } from './queue-store';
import type { SpooledBatch } from './spool';

/** One waiting batch. */
export interface QueueEntry {
  batch: ResourceMetrics;
  points: number;
  bytes: number;
  /** Which collection this data came from; the newest one is never dropped for the bounds. */
  generation: number;
  id?: string;
  /** Accounted for already (shutdown gave up on it): a late outcome changes nothing. */
  settled?: boolean;
}

/**
 * What the queue holds, in order, within its bounds: new collections are coalesced into the
 * waiting tail (unless it is being sent), every change is saved to the store, and past the
 * batch or byte bound the oldest waiting data is evicted, never the newest collection.
 */
export class QueueContents {
  readonly entries: QueueEntry[] = [];
  private bytes = 0;
  private generation = 0;

  constructor(
    private readonly store: QueueStore,
    private readonly policy: ReturnType<typeof queuePolicy>,
    private readonly coalescing: boolean,
    private readonly onEvict: (entry: QueueEntry) => void,
    private readonly onChange: (batches: number, bytes: number) => void,
  ) {}

  /** Adds a new collection; `sending` is the entry in flight, which is never merged into or evicted. */
  add(batch: ResourceMetrics, sending: QueueEntry | undefined): void {
    this.generation++;
    const tail = this.entries.at(-1);
    if (this.coalescing && tail && tail !== sending) {
      const { merged, leftover } = coalesce(tail.batch, batch);
      tail.generation = this.generation;
      this.save(tail, merged);
      if (leftover) this.append(leftover);
    } else {
      this.append(batch);
    }
    this.enforceBounds(sending);
  }

  /** Puts batches a previous process left in front: they are older than anything queued since. */
  prepend(found: SpooledBatch[], sending: QueueEntry | undefined): void {
    this.entries.unshift(...found.map(({ id, batch, points, bytes }) => ({ id, batch, points, bytes, generation: -1 })));
    this.bytes += found.reduce((n, e) => n + e.bytes, 0);
    this.enforceBounds(sending);
  }

  /** Replaces an entry's batch (coalesced, or only its undelivered part) and saves it. */
  save(entry: QueueEntry, batch: ResourceMetrics): void {
    entry.batch = batch;
    entry.points = countPoints(batch);
    this.bytes += -entry.bytes + (entry.bytes = this.store.save(entry.id, batch));
    this.changed();
  }

  remove(entry: QueueEntry): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
    this.bytes -= entry.bytes;
    this.store.remove(entry.id);
    this.changed();
  }

  /** Empties the queue without touching the store (what is on disk stays for the next start). */
  takeAll(): QueueEntry[] {
    const all = this.entries.splice(0);
    this.bytes = 0;
    this.changed();
    return all;
  }

  private append(batch: ResourceMetrics): void {
    const entry: QueueEntry = { batch, points: 0, bytes: 0, generation: this.generation, id: this.store.nextId() };
    this.entries.push(entry);
    this.save(entry, batch);
  }

  private enforceBounds(sending: QueueEntry | undefined): void {
    while (this.entries.length > this.policy.maxBatches || this.bytes > this.policy.maxBytes) {
      const victim = this.entries.find((e) => e !== sending && e.generation < this.generation);
      if (!victim) break;
      this.remove(victim);
      this.onEvict(victim);
    }
  }

  private changed(): void {
    this.onChange(this.entries.length, this.bytes);
  }
}
