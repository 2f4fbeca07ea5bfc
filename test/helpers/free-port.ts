import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

// Below Linux's ephemeral range (32768–60999): a port the OS handed out for port 0 can be taken
// again by any outgoing connection before the child binds it, which at four test files at a time
// showed up as EADDRINUSE. A random pick here is only contended by other freePort callers.
const LOW = 20000;
const HIGH = 32000;
const handedOut = new Set<number>();

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const got = (server.address() as AddressInfo).port;
      server.close(() => resolve(got));
    });
  });
}

/** A loopback port that was free a moment ago (the upstream Prometheus exporter treats port 0 as 9464). */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (handedOut.has(port)) continue;
    if ((await tryListen(port)) !== undefined) {
      handedOut.add(port);
      return port;
    }
  }
  const port = (await tryListen(0))!;
  handedOut.add(port);
  return port;
}
