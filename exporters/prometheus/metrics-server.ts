import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MAX_CONNECTIONS, GUARDED_SERVER_OPTIONS, guardServer } from '../../core/server-guard';
import type { MetricsRequestHandler } from './metrics-handler';

/** TLS for the metrics endpoint: PEM contents, not paths. */
export interface MetricsTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  /** When set, scrapers must present a client certificate signed by this CA (mTLS). */
  clientCa?: string | Buffer;
}

/** Where and how {@link startMetricsServer} listens. */
export interface MetricsServerOptions {
  /** Default `localhost` (env `OTEL_EXPORTER_PROMETHEUS_HOST`); `::`, `::1` and `[::1]` work. */
  host?: string;
  /** Default 9464 (env `OTEL_EXPORTER_PROMETHEUS_PORT`); 0 picks a free port. */
  port?: number;
  tls?: MetricsTlsOptions;
  /** Concurrent connections at most, more are closed on accept; default 64 (env `OTEL_EXPORTER_PROMETHEUS_MAX_CONNECTIONS`). */
  maxConnections?: number;
}

/** A listening metrics server. */
export interface MetricsServer {
  readonly server: Server;
  /** `http(s)://host:port`, with IPv6 hosts in brackets. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `handler` over HTTP or HTTPS. The listener and every accepted connection are unref'd:
 * a keep-alive scrape connection must not keep the app alive after its work is done. Connections
 * are capped and timed (see server-guard), so idle or slow clients cannot take the app's fds.
 * Rejects with the listen error (EADDRINUSE, EACCES…) so the caller can say it in one line.
 */
export function startMetricsServer(handler: MetricsRequestHandler, options: MetricsServerOptions = {}): Promise<MetricsServer> {
  const host = (options.host ?? 'localhost').replace(/^\[(.*)\]$/, '$1');
  const tls = options.tls;
  // Names the endpoint to whoever asks (the doctor tells the running app's port from a foreign holder by it).
  const named: MetricsRequestHandler = (req, res) => {
    res.setHeader('server', 'otel-metrics-pipeline');
    handler(req, res);
  };
  const server: Server = tls
    ? (require('node:https') as typeof import('node:https')).createServer({
        ...GUARDED_SERVER_OPTIONS,
        cert: tls.cert,
        key: tls.key,
        ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
      }, named)
    : (require('node:http') as typeof import('node:http')).createServer(GUARDED_SERVER_OPTIONS, named);
  // Marked as the pipeline's own (Symbol.for, so no import of instrumentation/): scrapes are not app traffic for the HTTP metrics.
  (server as unknown as Record<symbol, boolean>)[Symbol.for('otel-metrics-pipeline.internal')] = true;
  const closeSockets = guardServer(server, { maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9464, host, () => {
      server.off('error', reject);
      server.on('error', () => {});
      server.unref();
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        server,
        url: `${tls ? 'https' : 'http'}://${shown}:${port}`,
        close: () => new Promise<void>((r) => {
          server.close(() => r());
          closeSockets();
        }),
      });
    });
  });
}
