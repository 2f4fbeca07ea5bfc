import { promises as dns } from 'node:dns';
import * as net from 'node:net';
import type { PrometheusConfig } from '../../exporters/prometheus/prometheus-config';
import { Budget, OutOfTime } from './budget';
import type { Check } from './doctor-report';
import { foreignHolderCheck, hostForUrl, identifyHolder, tryListen } from './port-holder';

const LOOPBACK = (a: string): boolean => a.startsWith('127.') || a === '::1' || a === '::ffff:127.0.0.1';
const ANY = (a: string): boolean => a === '0.0.0.0' || a === '::';

/**
 * The Prometheus endpoint: which interfaces HOST means, whether PORT is free there (by binding
 * it for a moment, as the exporter will), and a warning when a container binds only loopback,
 * where no scraper outside the container can reach it. A taken port is scraped (with the
 * configured credentials): the app running now, serving our endpoint, passes with its series
 * count; anyone else is named and fails.
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
    if (code === 'EADDRINUSE') checks.push(await scrapeHolder(config, budget));
    else {
      const why = code === 'EACCES' ? 'ports below 1024 need privileges' : code === 'EADDRNOTAVAIL' ? 'that address is not on this machine' : error.message;
      checks.push({ name: 'port', status: 'fail', detail: `port ${config.port} on ${config.host} cannot be bound (${code}): ${why}`, millis, data: { port: config.port, free: false, error: code } });
    }
  }
  return checks;
}

// The scraper's view of the taken port: our Server header plus a Prometheus answer is the app itself.
async function scrapeHolder(config: PrometheusConfig, budget: Budget): Promise<Check> {
  const endpoint = config.endpoint ?? '/metrics';
  const url = `${config.tls ? 'https' : 'http'}://${hostForUrl(config.host)}:${config.port}${endpoint}`;
  const { header, why } = scrapeAuthorization(config);
  const holder = await identifyHolder(url, { headers: { accept: 'text/plain;version=0.0.4', ...(header ? { authorization: header } : {}) }, insecure: true }, budget);
  const r = holder.result;
  const base = { port: config.port, free: false, ours: holder.ours };
  if (!holder.ours || !r.ok) return foreignHolderCheck(config.port, config.host, holder, 'the preload would run without the endpoint');
  if (r.status === 401) {
    const status = header ? 'fail' : 'warn';
    const detail = header
      ? `port ${config.port} is this pipeline's endpoint (the app running now), but it refuses the configured credentials (HTTP 401): check OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_* / BEARER_TOKEN match the app's`
      : `port ${config.port} is this pipeline's endpoint (the app running now); it asks for credentials the doctor cannot send (${why}), so it was not scraped`;
    return { name: 'port', status, detail, millis: r.millis, data: { ...base, httpStatus: 401 } };
  }
  if (r.status !== 200) return { name: 'port', status: 'fail', detail: `port ${config.port} is this pipeline's endpoint, but ${endpoint} answered HTTP ${r.status}`, millis: r.millis, data: { ...base, httpStatus: r.status } };
  const series = r.body.toString('utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  return { name: 'port', status: 'ok', detail: `port ${config.port} is held by this pipeline's endpoint (the app running now): scraped ${url}, ${series} series`, millis: r.millis, data: { ...base, httpStatus: 200, series } };
}

// One plain basic-auth user or the bearer token is what a scraper would send; a bcrypt hash cannot be.
function scrapeAuthorization(config: PrometheusConfig): { header?: string; why?: string } {
  const users = Object.entries(config.basicAuthUsers ?? {});
  const plain = users.find(([, pw]) => !/^\$2[aby]\$/.test(pw));
  if (plain) return { header: `Basic ${Buffer.from(`${plain[0]}:${plain[1]}`).toString('base64')}` };
  if (config.bearerToken) return { header: `Bearer ${config.bearerToken}` };
  return users.length ? { why: 'the configured passwords are bcrypt hashes' } : { why: 'none are configured' };
}
