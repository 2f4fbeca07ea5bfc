import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { defaultLog, type Log } from '../../core/log';
import type { RateLimitedLog } from '../../core/rate-limited-log';

/**
 * Runs bcrypt compares in one worker thread, started on first use and unref'd (it never keeps
 * the app alive), with at most `limit` compares waiting or running: a flood of wrong guesses
 * costs the worker's core, never the app's event loop, and is refused once the limit is reached.
 */
export class BcryptVerifier {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, (ok: boolean) => void>();
  private readonly log: RateLimitedLog;

  constructor(private readonly limit: number, log: Log = defaultLog) {
    this.log = log.limited();
  }

  /** True when a compare now would exceed the limit (the caller answers 429). */
  get busy(): boolean {
    return this.pending.size >= this.limit;
  }

  /** Resolves true when `password` matches `hash`; false on a mismatch or when the worker fails. */
  compare(password: string, hash: string): Promise<boolean> {
    const worker = this.worker ?? this.start();
    if (!worker) return Promise.resolve(false);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ id, password, hash });
    });
  }

  /** Stops the worker; compares still pending resolve false. */
  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failPending();
    void worker?.terminate();
  }

  private start(): Worker | undefined {
    try {
      const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
      const worker = new Worker(join(__dirname, 'bcrypt-worker.js'));
      worker.on('message', (m: { id: number; ok: boolean }) => {
        const resolve = this.pending.get(m.id);
        this.pending.delete(m.id);
        resolve?.(m.ok === true);
      });
      const lost = (why: string) => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.failPending();
        this.log.log('bcrypt-worker', `prometheus: the bcrypt worker stopped (${why}); the scrapes it was checking get 401, the next one starts a new worker`);
      };
      worker.on('error', (err) => lost(err.message));
      worker.on('exit', (code) => lost(`exit code ${code}`));
      // After the listeners: adding a 'message' listener refs the worker's port again.
      worker.unref();
      this.worker = worker;
      return worker;
    } catch (err) {
      this.log.log('bcrypt-worker', `prometheus: cannot start the bcrypt worker (${(err as Error).message}); basic-auth scrapes with a bcrypt hash get 401`);
      return undefined;
    }
  }

  private failPending(): void {
    for (const resolve of this.pending.values()) resolve(false);
    this.pending.clear();
  }
}
