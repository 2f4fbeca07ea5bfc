import { promises as dns } from 'node:dns';
import * as net from 'node:net';
import type { PrometheusConfig } from '../../exporters/prometheus/prometheus-config';
import { Budget, OutOfTime } from './budget';
import type { Check } from './doctor-report';

const LOOPBACK = (a: string): boolean => a.startsWith('127.') || a === '::1' || a === '::ffff:127.0.0.1';
const ANY = (a: string): boolean => a === '0.0.0.0' || a === '::';

/**
 * The Prometheus endpoint: which interfaces HOST means, whether PORT is free there (by binding
 * it for a moment, as the exporter will), and a warning when a container binds only loopback,
 * where no scraper outside the container can reach it.
 */
export async function checkPrometheus(config: PrometheusConfig, budget: Budget, container: string | undefined): Promise<Check[]> {
  const checks: Check[] = [];
  let addresses: string[];
  try {
    addresses = net.isIP(config.host) ? [config.host] : (await budget.race(dns.lookup(config.host, { all: true }))).map((a) => a.address);
  } catch (err) {
    const code = err instanceof OutOfTime ? 'timeout' : (err as NodeJS.ErrnoException).code ?? 'error';
    checks.push({ name: 'bind', status: 'fail', detail: `OTEL_EXPORTER_PROMETHEUS_HOST=${config.host} does not resolve (${code}): the endpoint cannot start`, data: { error: code } });
    return checks;
  }
  const scope = addresses.every(LOOPBACK) ? 'loopback' : addresses.some(ANY) ? 'all' : 'specific';
  const where = scope === 'loopback' ? 'loopback only: reachable from this machine (or container) only'
    : scope === 'all' ? 'every interface' : `the interface(s) with ${addresses.join(', ')}`;
  const data = { host: config.host, addresses, scope, container: container ?? null };
  if (scope === 'loopback' && container) {
    checks.push({ name: 'bind', status: 'warn', detail: `${config.host} (${addresses.join(', ')}) is ${where}; this looks like a container (${container}), so Prometheus outside it cannot scrape the endpoint: set OTEL_EXPORTER_PROMETHEUS_HOST=0.0.0.0`, data });
  } else {
    checks.push({ name: 'bind', status: 'ok', detail: `${config.host} (${addresses.join(', ')}) is ${where}`, data });
  }
  // The exporter listens on HOST as given; bind where it will bind.
  const started = Date.now();
  const error = await budget.race(tryListen(config.host, config.port)).catch((err: unknown) => err as Error);
  const millis = Date.now() - started;
  if (error === undefined) {
    checks.push({ name: 'port', status: 'ok', detail: `port ${config.port} is free on ${config.host}: the endpoint will be http://${hostForUrl(config.host)}:${config.port}/metrics`, millis, data: { port: config.port, free: true } });
  } else {
    const code = error instanceof OutOfTime ? 'timeout' : (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EADDRINUSE' ? 'another process listens there (the app itself, if it is running now); the preload would run without the endpoint'
      : code === 'EACCES' ? 'ports below 1024 need privileges' : code === 'EADDRNOTAVAIL' ? 'that address is not on this machine' : error.message;
    checks.push({ name: 'port', status: 'fail', detail: `port ${config.port} on ${config.host} cannot be bound (${code}): ${why}`, millis, data: { port: config.port, free: false, error: code } });
  }
  return checks;
}

function tryListen(host: string, port: number): Promise<undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

function hostForUrl(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}
