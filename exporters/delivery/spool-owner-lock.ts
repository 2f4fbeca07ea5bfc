import { unlinkSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';
import { defaultLog, type Log } from '../../core/log';

// Unix socket paths are limited to about 107 bytes (sun_path).
const MAX_SOCKET_PATH = 100;

/**
 * Marks a spool instance as alive with a lock that dies with its process, whatever PID it had
 * and in whichever container: a Unix socket listening at `DIR/<instance>.lock`. While the
 * process lives, connecting succeeds; once it is gone (even by SIGKILL), the socket file stays
 * but a connection is refused, and the files of that instance may be claimed. Node has no
 * flock; a socket on the shared directory is the lock the kernel releases for us. The server is
 * unref'd: it never keeps the app alive.
 */
export class SpoolOwnerLock {
  private readonly server: net.Server | undefined;
  private readonly path: string;

  constructor(private readonly dir: string, instance: string, log: Log = defaultLog) {
    this.path = join(dir, `${instance}.lock`);
    if (this.path.length > MAX_SOCKET_PATH) {
      log.warn(`the spool directory path ${dir} is too long for its owner lock (a Unix socket path holds about 107 bytes); use a shorter OTEL_METRICS_QUEUE_DIR, or another process sharing it may replay this one's files`);
      return;
    }
    this.server = net.createServer((socket) => socket.destroy());
    // A listen error means no lock: others then fall back to the age rule for our files.
    this.server.on('error', () => {});
    this.server.listen(this.path);
    this.server.unref();
  }

  /** Closes the lock; the socket file goes too, so the next process claims at once. */
  release(): void {
    this.server?.close();
    try {
      unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }

  /** Whether the owner of `instance` still runs; a dead owner's stale lock is removed. */
  isAlive(instance: string, timeoutMillis = 1000): Promise<boolean> {
    return spoolOwnerAlive(this.dir, instance, { timeoutMillis, removeStale: true });
  }
}

/**
 * Whether the spool instance `owner` that wrote files in `dir` still runs: its lock socket
 * accepts a connection while it lives. An all-digits owner is a PID (files from before instance
 * ids). Unknown answers (a slow connect) count as alive: leaving a file is safe, sending it
 * twice is not. With `removeStale`, a lock left by a dead process is deleted.
 */
export function spoolOwnerAlive(dir: string, owner: string, options: { timeoutMillis?: number; removeStale?: boolean } = {}): Promise<boolean> {
  if (/^\d+$/.test(owner)) return Promise.resolve(pidAlive(Number(owner)));
  const path = join(dir, `${owner}.lock`);
  return new Promise((resolve) => {
    const socket = net.connect(path);
    const done = (alive: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(alive);
    };
    const timer = setTimeout(() => done(true), options.timeoutMillis ?? 1000);
    timer.unref();
    socket.on('connect', () => done(true));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // ECONNREFUSED: a lock left by a dead process; ENOENT: released, or never taken.
      if (err.code === 'ECONNREFUSED' && options.removeStale) {
        try {
          unlinkSync(path);
        } catch {
          /* another claimer removed it */
        }
      }
      done(err.code !== 'ECONNREFUSED' && err.code !== 'ENOENT');
    });
  });
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
