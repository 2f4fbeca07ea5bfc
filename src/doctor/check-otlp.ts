import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { OtlpConfig } from '../../exporters/otlp/otlp-config';
import { Budget } from './budget';
import { checkDns, checkTcp, hostPort } from './check-reach';
import { checkExport } from './check-export';
import { checkTls } from './check-tls';
import type { Check } from './doctor-report';
import { probeProtocol } from './probe-protocol';

/** What a destination check needs besides the exporter's configuration. */
export interface LiveCheckOptions {
  budget: Budget;
  /** The test batch, or undefined for `--no-send`. */
  batch?: ResourceMetrics;
  /** The pipeline's stderr lines so far that start with `prefix`. */
  said: (prefix: string) => string[];
}

/**
 * DNS, TCP, TLS (for https), protocol sanity, then one real export, all within one budget.
 * A failed step ends the connection steps, but the export still runs: its classified answer
 * is what the pipeline would see, which is the point.
 */
export async function checkOtlp(config: OtlpConfig, o: LiveCheckOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const url = new URL(config.url);
  const { host, port } = hostPort(url);
  const grpc = config.protocol === 'grpc';
  await connectionChecks(checks, url, host, port, grpc, config, o.budget);
  if (!o.batch) checks.push({ name: 'export', status: 'skip', detail: 'not sent (--no-send)' });
  else {
    const exported = await checkExport(config, o.batch, o.budget, o.said);
    // A server speaking the other protocol can answer with a misleading status (a 403 from an
    // HTTP/2-only server): the failed connection step is the likelier cause.
    const cause = checks.find((c) => c.status === 'fail');
    const answered = exported.data?.httpStatus != null || exported.data?.grpcStatus != null;
    if (exported.status === 'fail' && cause && answered) exported.detail += `; the failed ${cause.name} check above is the likelier cause`;
    checks.push(exported);
  }
  return checks;
}

async function connectionChecks(checks: Check[], url: URL, host: string, port: number, grpc: boolean, config: OtlpConfig, budget: Budget): Promise<void> {
  const dns = await checkDns(host, budget);
  checks.push(dns);
  if (dns.status === 'fail') return;
  const tcp = await checkTcp(host, port, budget);
  checks.push(tcp.check);
  if (!tcp.socket) return;
  let socket = tcp.socket;
  if (url.protocol === 'https:') {
    const tls = await checkTls(socket, { host, ca: config.ca, key: config.key, cert: config.cert, alpn: grpc ? ['h2'] : ['http/1.1'] }, budget);
    checks.push(tls.check);
    if (!tls.socket) return;
    socket = tls.socket;
  }
  if (budget.remaining() === 0) {
    socket.destroy();
    checks.push({ name: 'protocol', status: 'skip', detail: 'not checked: no time left' });
    return;
  }
  checks.push(await probeProtocol(socket, grpc ? 'h2' : 'http1', url.host, url.pathname, budget));
}
