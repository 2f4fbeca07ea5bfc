import { promises as dns } from 'node:dns';
import * as net from 'node:net';
import { Budget, OutOfTime } from './budget';
import type { Check } from './doctor-report';

/** Host and port of a destination URL, brackets removed from an IPv6 literal. */
export function hostPort(url: URL): { host: string; port: number } {
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

/** DNS lookup of `host` (every address), bounded by the budget. */
export async function checkDns(host: string, budget: Budget): Promise<Check> {
  if (net.isIP(host)) return { name: 'dns', status: 'ok', detail: `${host} is an address; no lookup needed`, data: { addresses: [host] } };
  const started = Date.now();
  try {
    const found = await budget.race(dns.lookup(host, { all: true }));
    const addresses = found.map((a) => a.address);
    return { name: 'dns', status: 'ok', detail: `${host} resolves to ${addresses.join(', ')}`, millis: Date.now() - started, data: { addresses } };
  } catch (err) {
    const code = err instanceof OutOfTime ? 'timeout' : (err as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOTFOUND' ? 'no such host: check the host name in the endpoint'
      : code === 'EAI_AGAIN' ? 'the DNS server did not answer in time or is unreachable'
        : code === 'timeout' ? `no answer within the check's time (${(err as Error).message})` : (err as Error).message;
    return { name: 'dns', status: 'fail', detail: `${host} does not resolve (${code}): ${why}`, millis: Date.now() - started, data: { error: code } };
  }
}

/** A TCP connection to `host:port` (both address families tried, as the exporter does), or the failure. */
export async function checkTcp(host: string, port: number, budget: Budget): Promise<{ check: Check; socket?: net.Socket }> {
  const started = Date.now();
  const socket = net.connect({ host, port, autoSelectFamily: true });
  socket.unref();
  try {
    await budget.race(new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    }));
    socket.removeAllListeners('error');
    const detail = `connected to ${socket.remoteAddress}:${socket.remotePort}`;
    return { check: { name: 'tcp', status: 'ok', detail, millis: Date.now() - started, data: { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort } }, socket };
  } catch (err) {
    socket.destroy();
    const code = err instanceof OutOfTime ? 'timeout' : errorCode(err);
    return { check: { name: 'tcp', status: 'fail', detail: `cannot connect to ${host}:${port} (${code}): ${tcpMeaning(code, err as Error)}`, millis: Date.now() - started, data: { error: code } } };
  }
}

function tcpMeaning(code: string, err: Error): string {
  switch (code) {
    case 'ECONNREFUSED': return 'nothing listens on that port (is the collector running? is the port right?)';
    case 'timeout': return `no answer within the check's time (${err.message}): a firewall may be dropping the packets, or the host is down`;
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'no route to that host from here';
    case 'ECONNRESET': return 'the connection was reset at once';
    default: return err.message;
  }
}

// Trying both address families fails with an AggregateError whose parts carry the codes.
function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] };
  return e.code ?? e.errors?.find((x) => x.code)?.code ?? 'error';
}
