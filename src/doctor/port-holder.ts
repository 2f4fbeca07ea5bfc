import * as net from 'node:net';
import type { Budget } from './budget';
import type { Check } from './doctor-report';
import { httpProbe, type ProbeRequest, type ProbeResult } from './http-probe';

/** What our own servers send as `Server`, so the doctor can tell them from anyone else's. */
export const OWN_SERVER_HEADER = 'otel-metrics-pipeline';

/** Binds `host:port` for a moment, as the server will; resolves when free, rejects with the listen error. */
export function tryListen(host: string, port: number): Promise<undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** `host` ready for a URL: IPv6 literals in brackets. */
export function hostForUrl(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

/** Who answered on a taken port. */
export interface Holder {
  /** The answer, or why none came. */
  result: ProbeResult;
  /** True when the `Server` header says it is this pipeline's endpoint. */
  ours: boolean;
  /** A few words naming the holder, e.g. `an HTTP server "nginx/1.25" (HTTP 200)`, `something that does not speak HTTP`. */
  who: string;
}

// Our endpoints answer in milliseconds; a holder silent this long is not one of them.
const IDENTIFY_CAP_MILLIS = 2000;

/** Asks whatever listens on a taken port for `url` (at most 2 s), and names it as well as the answer allows. */
export async function identifyHolder(url: string, request: ProbeRequest, budget: Budget): Promise<Holder> {
  const result = await httpProbe(url, { capMillis: IDENTIFY_CAP_MILLIS, ...request }, budget);
  if (!result.ok) {
    const who = result.code === 'not_http' ? 'something that does not speak HTTP'
      : result.code === 'timeout' ? `something that accepts connections but does not answer HTTP (${result.message})`
        : result.code === 'ECONNRESET' ? 'something that closes the connection without an HTTP answer'
          : `something the doctor could not talk to (${result.code}: ${result.message})`;
    return { result, ours: false, who };
  }
  const server = String(result.headers.server ?? '');
  const ours = server === OWN_SERVER_HEADER;
  const who = ours ? 'this pipeline' : server ? `an HTTP server calling itself ${JSON.stringify(server)}` : 'an HTTP server that does not name itself (no Server header)';
  return { result, ours, who: `${who} (HTTP ${result.status})` };
}

/** The FAIL check for a port held by someone else. */
export function foreignHolderCheck(port: number, host: string, holder: Holder, whatFor: string): Check {
  const data: Record<string, unknown> = { port, free: false, error: 'EADDRINUSE', ours: false };
  if (holder.result.ok) data.httpStatus = holder.result.status;
  if (holder.result.ok && holder.result.headers.server) data.server = String(holder.result.headers.server);
  return { name: 'port', status: 'fail', detail: `port ${port} on ${host} is held by ${holder.who}, not by this pipeline: ${whatFor}`, millis: holder.result.millis, data };
}
