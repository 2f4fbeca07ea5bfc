import type { HealthConfig } from '../../instrumentation/health/health-config';
import { Budget, OutOfTime } from './budget';
import type { Check } from './doctor-report';
import { foreignHolderCheck, hostForUrl, identifyHolder, tryListen } from './port-holder';

/**
 * The health endpoint (`OTEL_METRICS_HEALTH_PORT`): free to bind, or held by this pipeline's own
 * health server (the app running now: PASS with its status), or by someone else (FAIL, named).
 */
export async function checkHealthPort(config: HealthConfig & { port: number }, budget: Budget): Promise<Check[]> {
  const { host, port } = config;
  const url = `http://${hostForUrl(host)}:${port}/healthz`;
  const started = Date.now();
  const error = await budget.race(tryListen(host, port)).catch((err: unknown) => err as Error);
  if (error === undefined) {
    return [{ name: 'port', status: 'ok', detail: `port ${port} is free on ${host}: /healthz and /readyz will be served at ${url.replace(/\/healthz$/, '')}`, millis: Date.now() - started, data: { port, free: true } }];
  }
  const code = error instanceof OutOfTime ? 'timeout' : (error as NodeJS.ErrnoException).code ?? 'error';
  if (code !== 'EADDRINUSE') {
    return [{ name: 'port', status: 'fail', detail: `port ${port} on ${host} cannot be bound (${code}): ${error.message}; health is then only available through getHealth()`, millis: Date.now() - started, data: { port, free: false, error: code } }];
  }
  const holder = await identifyHolder(url, {}, budget);
  const r = holder.result;
  if (!holder.ours || !r.ok) return [foreignHolderCheck(port, host, holder, 'the health endpoint could not start (getHealth() still works)')];
  let status = 'unknown';
  try {
    status = String((JSON.parse(r.body.toString('utf8')) as { status?: unknown }).status);
  } catch { /* reported as unknown */ }
  const detail = `port ${port} is held by this pipeline's health endpoint (the app running now): /healthz answered HTTP ${r.status}, status ${status}`;
  return [{ name: 'port', status: r.status === 200 ? 'ok' : 'warn', detail, millis: r.millis, data: { port, free: false, ours: true, httpStatus: r.status, health: status } }];
}
