import { closeSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultLog, type Log } from '../core/log';

// Shared by every reader, on purpose: a pure cache (its contents never outlive one read, which is
// synchronous, so one buffer is never used twice at once); no pipeline sees another's data in it.
let buffer = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads files under a root (`/` normally; a fake tree in tests). A file that cannot be read gives
 * `undefined` and one debug line per path for the life of the reader, so the metric built from it
 * is skipped quietly instead of failing the collection.
 */
export class ProcFiles {
  private readonly reported = new Set<string>();

  constructor(readonly root = '/', private readonly log: Log = defaultLog) {}

  /**
   * The file's text, or undefined when it is missing or unreadable. /proc files report size 0,
   * so they are read into one reused buffer rather than through readFileSync's grow-and-concat.
   */
  read(path: string): string | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(join(this.root, path), 'r');
      let length = 0;
      for (;;) {
        if (length === buffer.length) {
          const bigger = Buffer.allocUnsafe(buffer.length * 2);
          buffer.copy(bigger, 0, 0, length);
          buffer = bigger;
        }
        const n = readSync(fd, buffer, length, buffer.length - length, null);
        if (n === 0) break;
        length += n;
      }
      return buffer.toString('latin1', 0, length);
    } catch (err) {
      this.skip(path, err);
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** The directory's entry names, or undefined when it cannot be listed. */
  list(path: string): string[] | undefined {
    try {
      return readdirSync(join(this.root, path));
    } catch (err) {
      this.skip(path, err);
      return undefined;
    }
  }

  /** Logs once per path that a metric is skipped because `path` is unusable. */
  skip(path: string, err: unknown): void {
    if (this.reported.has(path)) return;
    this.reported.add(path);
    this.log.debug(`instrumentation: cannot read ${join(this.root, path)} (${(err as Error).message ?? err}); the metrics from it are skipped`);
  }

  /** The absolute path of `path` under the root. */
  resolve(path: string): string {
    return join(this.root, path);
  }
}
