import type { QueueStore } from './queue-store';
import { openSpool, type SpoolOptions } from './spool';

/**
 * The store of a queue with a directory: every waiting batch is also a spool file, counted by
 * its real size, replayed by the next process. Falls back to memory (openSpool said why in one
 * line) when the directory cannot be used.
 */
export function spoolStore(directory: string, name: string, options: SpoolOptions, fallback: () => QueueStore): QueueStore {
  const spool = openSpool(directory, name, options);
  if (!spool) return fallback();
  return {
    persistent: true,
    where: spool.dir,
    nextId: () => spool.nextId(),
    save: (id, batch) => spool.write(id!, batch),
    isKept: (id) => id !== undefined && spool.isOnDisk(id),
    remove: (id) => { if (id) spool.remove(id); },
    claim: () => spool.claim(),
    settle: () => spool.settle(),
    close: () => spool.close(),
  };
}
