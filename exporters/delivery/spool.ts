import { mkdirSync, statSync } from 'node:fs';
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { warn } from '../../src/diag';
import { RateLimitedLog } from '../../src/rate-limited-log';
import { decodeSpoolRecord } from './spool-codec';

/** A batch found on disk at start-up, to be replayed. */
export interface SpooledBatch {
  id: string;
  batch: ResourceMetrics;
  points: number;
  bytes: number;
}

const SUFFIX = '.spool';
let sequence = 0;

/**
 * The disk side of the queue: one file per queued batch in `dir`, written atomically (temp
 * file, fsync, rename) so a crash or SIGKILL leaves either the old file or the new one. Files
 * left by a dead process are claimed and replayed by the next one; files of a live process
 * sharing the directory are left to it. Delivery is at-least-once.
 */
export class Spool {
  private readonly writes = new Map<string, Promise<void>>();
  // A full disk fails every write; say so once a minute, not once a batch.
  private readonly log = new RateLimitedLog();

  /** @param dir created if missing. */
  constructor(readonly dir: string) {
    ensureDirectory(dir);
  }

  /** A new id; ids sort oldest first. */
  nextId(): string {
    return `${Date.now().toString().padStart(15, '0')}-${process.pid}-${(sequence++).toString().padStart(6, '0')}`;
  }

  /** (Re)writes the record for `id`; operations on one id apply in order. Never rejects. */
  write(id: string, record: Buffer): Promise<void> {
    return this.chain(id, () => this.writeAtomically(id, record).catch((err: NodeJS.ErrnoException) => {
      this.log.log('write', `cannot write spool files in ${this.dir} (${err.code ?? err.message}); batches are kept in memory only until it works again`);
    }));
  }

  /** Removes the record for `id` after any pending write to it. Never rejects. */
  remove(id: string): Promise<void> {
    return this.chain(id, () => unlink(join(this.dir, id + SUFFIX)).catch(() => {}));
  }

  private chain(id: string, step: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(id) ?? Promise.resolve()).then(step);
    this.writes.set(id, next);
    void next.then(() => { if (this.writes.get(id) === next) this.writes.delete(id); });
    return next;
  }

  /** Waits for every write and removal started so far. */
  async settle(): Promise<void> {
    await Promise.all([...this.writes.values()]);
  }

  /**
   * Claims the files of processes that are no longer running, oldest first, and decodes them.
   * A torn or garbage file is reported in one line and deleted; the rest still replays.
   */
  async claim(): Promise<SpooledBatch[]> {
    const out: SpooledBatch[] = [];
    let names: string[];
    try {
      const all = await readdir(this.dir);
      // A temp file is a write that a crash interrupted; the previous version, if any, is intact.
      for (const tmp of all.filter((n) => n.endsWith(`${SUFFIX}.tmp`) && !isAlive(Number(n.split('-')[1])))) {
        await unlink(join(this.dir, tmp)).catch(() => {});
      }
      names = all.filter((n) => n.endsWith(SUFFIX)).sort();
    } catch (err) {
      warn(`cannot read the spool directory ${this.dir} (${(err as Error).message}); nothing replayed`);
      return out;
    }
    for (const name of names) {
      const owner = Number(name.split('-')[1]);
      if (owner !== process.pid && isAlive(owner)) continue;
      const id = this.nextId();
      const path = join(this.dir, id + SUFFIX);
      try {
        await rename(join(this.dir, name), path);
      } catch {
        continue; // another process claimed it first
      }
      const data = await readFile(path).catch(() => undefined);
      const record = data ? decodeSpoolRecord(data) : { error: 'unreadable' };
      if ('error' in record) {
        warn(`skipping spool file ${join(this.dir, name)}: ${record.error}; it is deleted, the other files are replayed`);
        await unlink(path).catch(() => {});
        continue;
      }
      out.push({ id, batch: record.batch, points: record.points, bytes: data!.length });
    }
    return out;
  }

  private async writeAtomically(id: string, record: Buffer): Promise<void> {
    const path = join(this.dir, id + SUFFIX);
    const tmp = `${path}.tmp`;
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(record);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// mkdir -p one level at a time: Node's recursive mkdirSync never returns for some paths (under /proc).
function ensureDirectory(dir: string): void {
  let path = '';
  for (const part of resolve(dir).split(sep)) {
    path = path === '' ? part || sep : join(path, part);
    try {
      mkdirSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
}
