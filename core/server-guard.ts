import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Limits every endpoint we serve (metrics, health) puts on its clients. */
export interface ServerLimits {
  /** Concurrent connections at most; more are closed on accept. */
  maxConnections: number;
}

/** Default of the connection caps (env `OTEL_EXPORTER_PROMETHEUS_MAX_CONNECTIONS`, `OTEL_METRICS_HEALTH_MAX_CONNECTIONS`). */
export const DEFAULT_MAX_CONNECTIONS = 64;

// A scraper or probe sends its request at once; one that sends nothing (slowloris, an idle
// socket, a TLS client that never finishes its handshake) is closed within these seconds.
const HEADERS_MILLIS = 5_000;
const REQUEST_MILLIS = 30_000;
const KEEP_ALIVE_MILLIS = 15_000;
const IDLE_SOCKET_MILLIS = 10_000;

/**
 * Options for `http(s).createServer`: header, request, keep-alive and TLS handshake timeouts,
 * checked every second (Node checks every 30 s by default, so "10 s" meant up to 40 s).
 */
export const GUARDED_SERVER_OPTIONS = {
  headersTimeout: HEADERS_MILLIS,
  requestTimeout: REQUEST_MILLIS,
  keepAliveTimeout: KEEP_ALIVE_MILLIS,
  connectionsCheckingInterval: 1_000,
  handshakeTimeout: HEADERS_MILLIS,
} as const;

/**
 * Caps the server's connections, unrefs every socket so no client keeps the app alive, and
 * returns the function that closes every open socket (an HTTPS one still in its handshake too,
 * which `closeAllConnections` does not know of).
 */
export function guardServer(server: Server, limits: ServerLimits): () => void {
  const sockets = new Set<Socket>();
  server.maxConnections = limits.maxConnections;
  server.timeout = IDLE_SOCKET_MILLIS;
  server.on('connection', (socket: Socket) => {
    socket.unref();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A reset or a timeout is the client's business, not an exception of the app's.
    socket.on('error', () => {});
  });
  server.on('secureConnection', (socket: Socket) => socket.unref());
  return () => {
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
}
