import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { readdir, rename, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { defaultLog, type Log } from '../../core/log';
import type { RateLimitedLog } from '../../core/rate-limited-log';
import { SpoolOwnerLock } from './spool-owner-lock';
import { decodeSpoolRecord, DELIVERED_MARK, encodeSpoolRecord, STATE_OFFSET } from './spool-codec';
import { patchOwnFile, readSpoolFile, writeNewFile } from './spool-file';

/** A batch found on disk at start-up, to be replayed. */
export interface SpooledBatch {
  id: string;
  batch: ResourceMetrics;
  points: number;
  bytes: number;
}

/** Options of a {@link Spool}; each has a default, so `new Spool(dir)` works as before. */
export interface SpoolOptions {
  /** Largest file read back, bytes; larger ones are refused unread and set aside. Default 64 MiB (the queue's 16 MiB default bound, with room for JSON). */
  maxFileBytes?: number;
  /**
   * This destination's identity (see spool-identity.ts), recorded in every file written; when
   * set, only files recorded for it (or for none: written before identities) are replayed.
   */
  identity?: string;
  /** The pipeline's log; default info level on stderr. */
  log?: Log;
}

/** What {@link Spool.claim} set aside or left, for the caller's counts. */
export interface SpoolClaimReport {
  /** Files renamed `*.bad`: not regular, too large, or not a batch we could have written. */
  setAside: number;
  /** Files recorded for another destination, left where they are. */
  foreign: number;
}

const SUFFIX = '.spool';
const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
// `<id>.spool.tmp` (older versions) and `<id>.spool.<random>.tmp`: writes a crash interrupted.
const TEMP = /\.spool(?:\.[0-9a-f]+)?\.tmp$/;

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
  private readonly log: RateLimitedLog;
  private readonly lines: Log;
  // Ids are unique with the instance id in them, so the counter is this spool's own.
  private sequence = 0;
  private readonly maxFileBytes: number;
  private readonly identity: string | undefined;
  private readonly onDisk = new Set<string>();
  /** Writes that failed (a full disk…) since start; their batches are in memory only. */
  failedWrites = 0;
  /** What the last {@link Spool.claim} set aside or left. */
  lastClaim: SpoolClaimReport = { setAside: 0, foreign: 0 };

  /** @param dir created (mode 0700) if missing; an existing one others may write to gets one warning line. */
  constructor(readonly dir: string, options: SpoolOptions = {}) {
    this.lines = options.log ?? defaultLog;
    this.log = this.lines.limited();
    ensureDirectory(dir, this.lines);
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.identity = options.identity;
    this.lock = new SpoolOwnerLock(dir, this.instance, this.lines);
  }

  /** A new id owned by this instance; ids sort oldest first. */
  nextId(): string {
    return `${Date.now().toString().padStart(15, '0')}-${this.instance}-${(this.sequence++).toString().padStart(6, '0')}`;
  }

  /** (Re)writes the record for `id` in the background and returns its size in bytes; operations on one id apply in order. */
  write(id: string, batch: ResourceMetrics): number {
    const record = encodeSpoolRecord(batch, this.identity);
    void this.chain(id, () => this.writeAtomically(id, record).then(() => { this.onDisk.add(id); }, (err: NodeJS.ErrnoException) => {
      // A rewrite that failed leaves the previous version of the file, if any, in place.
      this.failedWrites++;
      this.log.log('write', `cannot write spool files in ${this.dir} (${err.code ?? err.message}); ${this.failedWrites} batch write(s) failed so far, their temp files removed; those batches are kept in memory only, and lost if the process dies, until it works again`);
    }));
    return record.length;
  }

  /**
   * Whether a file for `id` was written and not removed (call after {@link Spool.settle}): what
   * an exit line may call "kept"; a batch whose every write failed is in memory only.
   */
  isOnDisk(id: string): boolean {
    return this.onDisk.has(id);
  }

  /** Marks the record for `id` delivered, then deletes it, after any pending write to it. Never rejects. */
  remove(id: string): void {
    void this.chain(id, async () => {
      this.onDisk.delete(id);
      const path = join(this.dir, id + SUFFIX);
      // Through a descriptor checked to be our own regular file: a symlink planted as the file is not followed.
      const marked = await patchOwnFile(path, STATE_OFFSET, DELIVERED_MARK);
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
   * Claims the files of owners that are gone, oldest first, and decodes them. A torn file is
   * reported in one line and deleted; one marked delivered is deleted silently. One that is not
   * a regular file, is over the size bound, or holds no batch we could have written is one line
   * and renamed `*.bad` (so no later start trips on it either). One recorded for another
   * destination is left for its own process; their number is one line.
   */
  async claim(): Promise<SpooledBatch[]> {
    const out: SpooledBatch[] = [];
    this.lastClaim = { setAside: 0, foreign: 0 };
    let names: string[];
    try {
      names = (await readdir(this.dir)).sort();
    } catch (err) {
      this.lines.warn(`cannot read the spool directory ${this.dir} (${(err as Error).message}); nothing replayed`);
      return out;
    }
    const alive = new Map<string, Promise<boolean>>();
    const ownerAlive = (owner: string): Promise<boolean> => {
      if (!alive.has(owner)) alive.set(owner, owner === this.instance ? Promise.resolve(true) : this.lock.isAlive(owner));
      return alive.get(owner)!;
    };
    for (const name of names) {
      const owner = name.split('-')[1] ?? '';
      const temp = TEMP.test(name);
      if ((!temp && !name.endsWith(SUFFIX)) || await ownerAlive(owner)) continue;
      // A temp file is a write that a crash interrupted; the previous version, if any, is intact.
      // unlink removes a planted symlink itself, never its target.
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
      const file = await readSpoolFile(path, this.maxFileBytes);
      const record = 'data' in file ? decodeSpoolRecord(file.data) : { invalid: file.refused };
      if ('delivered' in record) {
        await unlink(path).catch(() => {});
        continue;
      }
      if ('error' in record) {
        this.lines.warn(`skipping spool file ${join(this.dir, name)}: ${record.error}; it is deleted, the other files are replayed`);
        await unlink(path).catch(() => {});
        continue;
      }
      if ('invalid' in record) {
        this.lastClaim.setAside++;
        const bad = `${path}.bad`;
        const moved = await rename(path, bad).then(() => true, () => false);
        this.lines.warn(`setting aside spool file ${join(this.dir, name)}: ${record.invalid}; ${moved ? `renamed ${bad}, ` : ''}not replayed, the other files are`);
        continue;
      }
      if (this.identity !== undefined && record.identity !== undefined && record.identity !== this.identity) {
        // Not ours to send: back under its dead owner's name, for the process of its own destination.
        this.lastClaim.foreign++;
        await rename(path, join(this.dir, name)).catch(() => {});
        continue;
      }
      // Already on disk under its new name: kept, unless a later write of it fails.
      this.onDisk.add(id);
      out.push({ id, batch: record.batch, points: record.points, bytes: 'data' in file ? file.data.length : 0 });
    }
    if (this.lastClaim.foreign > 0) this.lines.warn(`${this.lastClaim.foreign} spooled batch(es) for another destination left in ${this.dir}; the process sending to that destination replays them`);
    return out;
  }

  private async writeAtomically(id: string, record: Buffer): Promise<void> {
    const path = join(this.dir, id + SUFFIX);
    // A fresh, unpredictable name created exclusively: nothing planted in advance is followed.
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    await writeNewFile(tmp, record);
    try {
      // rename replaces a symlink planted at `path` itself; it never writes through it.
      await rename(tmp, path);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
  }
}

/** Opens the spool in `directory`; a directory that cannot be used costs the spool (one line), not the pipeline. */
export function openSpool(directory: string, name: string, options?: SpoolOptions): Spool | undefined {
  try {
    return new Spool(directory, options);
  } catch (err) {
    (options?.log ?? defaultLog).warn(`${name}: cannot use the spool directory ${directory} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); keeping the queue in memory only`);
    return undefined;
  }
}

// mkdir -p one level at a time: Node's recursive mkdirSync never returns for some paths (under /proc).
// What we create is 0700: the spool holds the app's metrics, and a writable directory lets
// others plant files in it. An existing one that others may write to is one warning line.
function ensureDirectory(dir: string, log: Log): void {
  let path = '';
  const parts = resolve(dir).split(sep);
  parts.forEach((part, i) => {
    path = path === '' ? part || sep : join(path, part);
    try {
      mkdirSync(path, i === parts.length - 1 ? 0o700 : 0o755);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  });
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
  if ((stat.mode & 0o022) !== 0) {
    log.warn(`the spool directory ${dir} is group- or world-writable (mode ${(stat.mode & 0o777).toString(8)}): anyone who can write there can plant batches or change the files this app replays; make it mode 0700 (or 0750) and owned by the app's user`);
  }
}
