import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { warn } from '../../src/diag';
import { RateLimitedLog } from '../../src/rate-limited-log';
import { SpoolOwnerLock } from './spool-owner-lock';
import { decodeSpoolRecord, DELIVERED_MARK, encodeSpoolRecord, STATE_OFFSET } from './spool-codec';

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
 * file, fsync, rename), so a crash or SIGKILL leaves either the old file or the new one.
 * Files carry their owner's instance id (random, not the PID: two containers are both PID 1)
 * and the owner holds a lock that dies with it (spool-owner-lock.ts). The next process claims
 * the files of dead owners, each by an atomic rename, so exactly one process replays a file.
 * A delivered batch is marked in its file before the file is deleted, so a delete that fails
 * (the directory turned read-only) never makes it replay as new.
 */
export class Spool {
  private readonly writes = new Map<string, Promise<void>>();
  private readonly instance = randomBytes(6).toString('hex');
  private readonly lock: SpoolOwnerLock;
  // A full disk fails every write; say so once a minute, not once a batch.
  private readonly log = new RateLimitedLog();

  /** @param dir created if missing. */
  constructor(readonly dir: string) {
    ensureDirectory(dir);
    this.lock = new SpoolOwnerLock(dir, this.instance);
  }

  /** A new id owned by this instance; ids sort oldest first. */
  nextId(): string {
    return `${Date.now().toString().padStart(15, '0')}-${this.instance}-${(sequence++).toString().padStart(6, '0')}`;
  }

  /** (Re)writes the record for `id` in the background and returns its size in bytes; operations on one id apply in order. */
  write(id: string, batch: ResourceMetrics): number {
    const record = encodeSpoolRecord(batch);
    void this.chain(id, () => this.writeAtomically(id, record).catch((err: NodeJS.ErrnoException) => {
      this.log.log('write', `cannot write spool files in ${this.dir} (${err.code ?? err.message}); new batches are kept in memory only, and lost if the process dies, until it works again`);
    }));
    return record.length;
  }

  /** Marks the record for `id` delivered, then deletes it, after any pending write to it. Never rejects. */
  remove(id: string): void {
    void this.chain(id, async () => {
      const path = join(this.dir, id + SUFFIX);
      const marked = await markDelivered(path);
      try {
        await unlink(path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return;
        this.log.log('remove', marked
          ? `cannot delete delivered spool files in ${this.dir} (${code}); they are marked delivered and will not be sent again`
          : `cannot mark or delete delivered spool files in ${this.dir} (${code}); the next start may send them again`);
      }
    });
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

  /** Releases the owner lock, so the next process may claim what is left. */
  close(): void {
    this.lock.release();
  }

  /**
   * Claims the files of owners that are gone, oldest first, and decodes them. A torn or
   * garbage file is reported in one line and deleted; one marked delivered is deleted silently.
   */
  async claim(): Promise<SpooledBatch[]> {
    const out: SpooledBatch[] = [];
    let names: string[];
    try {
      names = (await readdir(this.dir)).sort();
    } catch (err) {
      warn(`cannot read the spool directory ${this.dir} (${(err as Error).message}); nothing replayed`);
      return out;
    }
    const alive = new Map<string, Promise<boolean>>();
    const ownerAlive = (owner: string): Promise<boolean> => {
      if (!alive.has(owner)) alive.set(owner, owner === this.instance ? Promise.resolve(true) : this.lock.isAlive(owner));
      return alive.get(owner)!;
    };
    for (const name of names) {
      const owner = name.split('-')[1] ?? '';
      const temp = name.endsWith(`${SUFFIX}.tmp`);
      if ((!temp && !name.endsWith(SUFFIX)) || await ownerAlive(owner)) continue;
      // A temp file is a write that a crash interrupted; the previous version, if any, is intact.
      if (temp) {
        await unlink(join(this.dir, name)).catch(() => {});
        continue;
      }
      const id = this.nextId();
      const path = join(this.dir, id + SUFFIX);
      try {
        await rename(join(this.dir, name), path);
      } catch {
        continue; // another process claimed it first
      }
      const data = await readFile(path).catch(() => undefined);
      const record = data ? decodeSpoolRecord(data) : { error: 'unreadable' };
      if ('delivered' in record) {
        await unlink(path).catch(() => {});
        continue;
      }
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

// Rewrites the state byte in place: needs write access to the file only, not to the directory.
async function markDelivered(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r+');
    try {
      await handle.write(DELIVERED_MARK, 0, 1, STATE_OFFSET);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return true;
  } catch {
    return false;
  }
}

/** Opens the spool in `directory`; a directory that cannot be used costs the spool (one line), not the pipeline. */
export function openSpool(directory: string, name: string): Spool | undefined {
  try {
    return new Spool(directory);
  } catch (err) {
    warn(`${name}: cannot use the spool directory ${directory} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); keeping the queue in memory only`);
    return undefined;
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
