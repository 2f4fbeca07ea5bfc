import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { debug } from '../src/diag';

/**
 * Reads files under a root (`/` normally; a fake tree in tests). A file that cannot be read gives
 * `undefined` and one debug line per path for the life of the reader, so the metric built from it
 * is skipped quietly instead of failing the collection.
 */
export class ProcFiles {
  private readonly reported = new Set<string>();

  constructor(readonly root = '/') {}

  /** The file's text, or undefined when it is missing or unreadable. */
  read(path: string): string | undefined {
    try {
      return readFileSync(join(this.root, path), 'latin1');
    } catch (err) {
      this.skip(path, err);
      return undefined;
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
    debug(`instrumentation: cannot read ${join(this.root, path)} (${(err as Error).message ?? err}); the metrics from it are skipped`);
  }

  /** The absolute path of `path` under the root. */
  resolve(path: string): string {
    return join(this.root, path);
  }
}
