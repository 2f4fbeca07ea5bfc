import type { InfluxConfig } from '../../exporters/influx/influx-options';
import { classifyInfluxResponse } from '../../exporters/influx/influx-response';
import { writeTarget } from '../../exporters/influx/write-target';
import type { Budget } from './budget';
import type { Check } from './doctor-report';
import { httpProbe } from './http-probe';

/** The test point; a measurement of its own, so it never mixes with the app's series. */
const TEST_LINE = 'otel_metrics_pipeline_doctor_check gauge=1\n';

/** What a refused test write means, in the words an operator searches for. */
function problemOf(type: string): string {
  if (type === '401' || type === '403') return 'auth';
  if (type === '404') return 'database_missing';
  if (type === 'retention_policy_not_found') return 'retention_policy_missing';
  return type;
}

/**
 * InfluxDB: `/ping` (is it InfluxDB, which version), then one test point written with the
 * configured API, credentials and target, its answer classified as the exporter would
 * (auth, database or bucket missing, retention policy missing). Both within the budget.
 */
export async function checkInflux(config: InfluxConfig, budget: Budget, send: boolean): Promise<Check[]> {
  if (config.missing.length > 0) {
    return [{ name: 'config', status: 'fail', detail: `the InfluxDB exporter does not start: it needs ${config.missing.join(' and ')}` }];
  }
  const tls = { ca: config.ca, key: config.key, cert: config.cert };
  const target = writeTarget(config);
  const checks: Check[] = [];
  const ping = await httpProbe(`${config.endpoint}/ping`, { headers: target.headers, ...tls }, budget);
  if (!ping.ok) {
    checks.push({ name: 'ping', status: 'fail', detail: `no answer from ${config.endpoint}/ping (${ping.code}): ${ping.message}`, millis: ping.millis, data: { error: ping.code } });
    return checks;
  }
  const version = String(ping.headers['x-influxdb-version'] ?? '');
  const pingOk = ping.status === 204 || ping.status === 200 || (config.api === 'v3' && ping.status === 401);
  checks.push(pingOk
    ? { name: 'ping', status: 'ok', detail: `InfluxDB ${version || '(version not given)'} answers /ping (HTTP ${ping.status})`, millis: ping.millis, data: { httpStatus: ping.status, version } }
    : { name: 'ping', status: 'fail', detail: `${config.endpoint}/ping answered HTTP ${ping.status}${ping.headers.server ? ` from ${JSON.stringify(String(ping.headers.server))}` : ''}: is this an InfluxDB endpoint?`, millis: ping.millis, data: { httpStatus: ping.status } });
  if (!pingOk) return checks;
  if (!send) {
    checks.push({ name: 'write', status: 'skip', detail: 'not sent (--no-send)' });
    return checks;
  }
  const res = await httpProbe(target.url, { method: 'POST', headers: { ...target.headers, 'content-type': 'text/plain; charset=utf-8' }, body: TEST_LINE, ...tls }, budget);
  if (!res.ok) {
    checks.push({ name: 'write', status: 'fail', detail: `the test write got no answer (${res.code}): ${res.message}`, millis: res.millis, data: { error: res.code } });
    return checks;
  }
  const verdict = classifyInfluxResponse(config.api, res.status, res.headers, res.body, target.destination, 1);
  if (verdict.kind === 'ok') {
    checks.push({ name: 'write', status: 'ok', detail: `wrote one test point (otel_metrics_pipeline_doctor_check) to ${target.destination}`, millis: res.millis, data: { httpStatus: res.status } });
  } else {
    const details = verdict.kind === 'failed' ? verdict.details : { message: 'HTTP 413 for one line', type: '413', retryable: false };
    const problem = problemOf(details.type ?? String(res.status));
    checks.push({ name: 'write', status: 'fail', detail: `the test write was refused (${problem}): ${details.message}`, millis: res.millis, data: { httpStatus: res.status, problem, retryable: details.retryable } });
  }
  return checks;
}
