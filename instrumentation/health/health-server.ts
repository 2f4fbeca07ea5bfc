import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultLog, type Log } from '../../core/log';
import { DEFAULT_MAX_CONNECTIONS, GUARDED_SERVER_OPTIONS, guardServer } from '../../core/server-guard';
import { handleHealthRequest } from './health-handler';
import type { HealthMonitor } from './health-monitor';
import { INTERNAL_HTTP } from '../http/http-attributes';

/** A running health endpoint. */
export interface HealthServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Serves /healthz and /readyz on `host:port` (127.0.0.1 unless told otherwise). Neither the
 * server nor any connection to it keeps the process alive (a probe's idle keep-alive socket
 * must not hold a finished app), connections are capped at `maxConnections` (default 64, env
 * `OTEL_METRICS_HEALTH_MAX_CONNECTIONS`) and timed, it is not counted by the HTTP producer, and
 * a bind failure is one warning line, not an exception.
 */
export async function startHealthServer(monitor: HealthMonitor, port: number, host = '127.0.0.1', maxConnections = DEFAULT_MAX_CONNECTIONS, log: Log = defaultLog): Promise<HealthServer | undefined> {
  const server: Server = createServer(GUARDED_SERVER_OPTIONS, (req, res) => {
    res.setHeader('server', 'otel-metrics-pipeline'); // the doctor tells our port from a foreign holder by it
    if (!handleHealthRequest(monitor, req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /readyz\n');
  });
  (server as unknown as Record<symbol, boolean>)[INTERNAL_HTTP] = true;
  const closeSockets = guardServer(server, { maxConnections });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => { server.off('error', reject); resolve(); });
    });
  } catch (err) {
    log.warn(`health endpoint could not listen on ${host}:${port} (${(err as Error).message}); health is only available through getHealth()`);
    return undefined;
  }
  server.unref();
  server.on('error', () => {}); // after listening, a socket error must not become the app's exception
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      closeSockets();
    }),
  };
}
