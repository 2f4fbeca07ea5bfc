import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { estimateBytes } from './batch-size';
import type { SpooledBatch } from './spool';

/**
 * Where the queue keeps its batches besides memory: nowhere (memoryStore), or a crash-safe
 * spool directory (spoolStore). The queue owns order, bounds and coalescing; the store owns
 * persistence and says how many bytes a batch counts for against the byte bound.
 */
export interface QueueStore {
  /** True when kept batches outlive the process (and the exit need not wait for the network). */
  readonly persistent: boolean;
  /** Where they are kept, for log lines. */
  readonly where?: string;
  /** A new id for a batch, or undefined when ids are not needed. */
  nextId(): string | undefined;
  /** (Re)saves the batch under `id`; returns its size in bytes for the byte bound. */
  save(id: string | undefined, batch: ResourceMetrics): number;
  /** True when the batch under `id` is safe in the store (its last write succeeded). */
  isKept(id: string | undefined): boolean;
  /** The batch under `id` is delivered or given up on. */
  remove(id: string | undefined): void;
  /** Batches a previous process left, oldest first. */
  claim(): Promise<SpooledBatch[]>;
  /** Waits for pending writes. */
  settle(): Promise<void>;
  /** Lets go of the store (the spool's owner lock). */
  close(): void;
}

/** The store of a queue without a directory: bytes are the encoded-size estimate, nothing persists. */
export function memoryStore(): QueueStore {
  return {
    persistent: false,
    nextId: () => undefined,
    save: (_id, batch) => estimateBytes(batch),
    isKept: () => false,
    remove: () => {},
    claim: async () => [],
    settle: async () => {},
    close: () => {},
  };
}
