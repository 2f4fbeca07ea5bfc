import type { Http2Server, ServerHttp2Session } from 'node:http2';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DashboardFeed } from './dashboard-feed';
import type { DashboardOptions } from './dashboard-options';
import { ingestRequest } from './ingest-request';
import { MetricStore } from './metric-store';
import { OtlpDecoder } from './otlp-decoder';
import { createOtlpGrpcReceiver } from './otlp-grpc-receiver';
import { createOtlpHttpReceiver } from './otlp-http-receiver';
import { loadPageAssets } from './page-assets';
import { PageAuth } from './page-auth';
import { createPageServer } from './page-server';

/** A running dashboard. */
export interface Dashboard {
  /** Opens the page (carries the token unless anonymous). */
  loginUrl: string;
  pageUrl: string;
  otlpHttpUrl: string;
  otlpGrpcUrl: string;
  store: MetricStore;
  /** Stops the receivers, the page and its event streams. */
  close(): Promise<void>;
}

/** How often silent series and senders are let go, in ms. */
const EXPIRE_EVERY_MILLIS = 10_000;

/** Starts the receivers and the page; rejects if a port cannot be bound. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const store = new MetricStore(options.limits);
  const feed = new DashboardFeed(store);
  const decoder = new OtlpDecoder();
  const onRequest = (request: Record<string, any>) => {
    if (ingestRequest(store, request, Date.now()) > 0) feed.changed();
  };
  const auth = new PageAuth(options.allowAnonymous);
  const page = createPageServer(auth, loadPageAssets(), store, feed);
  const otlpHttp = createOtlpHttpReceiver(decoder, onRequest);
  const otlpGrpc = createOtlpGrpcReceiver(decoder, onRequest);
  // A gRPC client keeps its HTTP/2 session open; close() must end them or it would wait forever.
  const sessions = new Set<ServerHttp2Session>();
  otlpGrpc.on('session', (s) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  const servers: Array<Server | Http2Server> = [];
  try {
    for (const [server, port, what] of [[page, options.port, 'page'], [otlpHttp, options.otlpHttpPort, 'OTLP/HTTP'], [otlpGrpc, options.otlpGrpcPort, 'OTLP/gRPC']] as const) {
      await listen(server, port, options.host, what);
      servers.push(server);
    }
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    throw err;
  }
  const expiry = setInterval(() => store.expire(Date.now()), EXPIRE_EVERY_MILLIS);
  expiry.unref();
  const base = (server: Server | Http2Server) => {
    const { address, port } = server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  };
  return {
    loginUrl: auth.loginUrl(base(page)),
    pageUrl: `${base(page)}/`,
    otlpHttpUrl: `${base(otlpHttp)}/v1/metrics`,
    otlpGrpcUrl: base(otlpGrpc),
    store,
    async close() {
      clearInterval(expiry);
      feed.close();
      page.closeAllConnections();
      otlpHttp.closeAllConnections();
      for (const s of sessions) s.destroy();
      await Promise.all([page, otlpHttp, otlpGrpc].map(closeServer));
    },
  };
}

function listen(server: Server | Http2Server, port: number, host: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(new Error(`cannot listen for the ${what} on ${host}:${port}: ${err.code ?? err.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server | Http2Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
