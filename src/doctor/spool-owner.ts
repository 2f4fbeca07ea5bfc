import * as net from 'node:net';
import { join } from 'node:path';

/**
 * Whether the pipeline instance that wrote spool files still runs, asked the way the spool asks
 * (exporters/delivery/spool-owner-lock.ts): its Unix socket `<instance>.lock` accepts a
 * connection while it lives. An all-digits owner is a PID (files from before instance ids). A
 * slow answer counts as alive. Unlike the spool, it never removes a stale lock.
 */
export function ownerAlive(dir: string, owner: string, timeoutMillis = 500): Promise<boolean> {
  if (/^\d+$/.test(owner)) return Promise.resolve(pidAlive(Number(owner)));
  return new Promise((resolve) => {
    const socket = net.connect(join(dir, `${owner}.lock`));
    const done = (alive: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(alive);
    };
    const timer = setTimeout(() => done(true), timeoutMillis);
    timer.unref();
    socket.on('connect', () => done(true));
    socket.on('error', (err: NodeJS.ErrnoException) => done(err.code !== 'ECONNREFUSED' && err.code !== 'ENOENT'));
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
