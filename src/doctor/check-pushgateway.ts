import { pushgatewayPath } from '../../exporters/prometheus/pushgateway-path';
import type { PushgatewayConfig } from '../../exporters/prometheus/pushgateway-config';
import type { Budget } from './budget';
import type { Check } from './doctor-report';
import { httpProbe, type ProbeResult } from './http-probe';

/** The test group's job: never the app's, so pushing and deleting it cannot touch the app's group. */
export const DOCTOR_JOB = 'otel_metrics_pipeline_doctor';

/**
 * Pushgateway: `/-/ready`, then a push of a one-series test group and its delete, with the
 * configured credentials, headers and TLS, all within the budget.
 */
export async function checkPushgateway(config: PushgatewayConfig, budget: Budget, send: boolean): Promise<Check[]> {
  const tls = { ca: config.ca, key: config.key, cert: config.cert };
  const checks: Check[] = [];
  const ready = await httpProbe(`${config.endpoint}/-/ready`, { headers: config.headers, ...tls }, budget);
  if (!ready.ok || ready.status !== 200) {
    checks.push({ name: 'ready', status: 'fail', detail: `${config.endpoint}/-/ready ${answer(ready)}`, millis: ready.millis, data: ready.ok ? { httpStatus: ready.status } : { error: ready.code } });
    return checks;
  }
  checks.push({ name: 'ready', status: 'ok', detail: 'the Pushgateway is ready (HTTP 200)', millis: ready.millis, data: { httpStatus: 200 } });
  if (!send) {
    checks.push({ name: 'push', status: 'skip', detail: 'not sent (--no-send)' });
    return checks;
  }
  const path = pushgatewayPath(DOCTOR_JOB, { instance: `doctor-${process.pid}` });
  const body = '# TYPE otel_metrics_pipeline_doctor_check gauge\notel_metrics_pipeline_doctor_check 1\n';
  const push = await httpProbe(`${config.endpoint}${path}`, { method: 'PUT', headers: { ...config.headers, 'content-type': 'text/plain; version=0.0.4' }, body, ...tls }, budget);
  if (!push.ok || push.status < 200 || push.status >= 300) {
    checks.push({ name: 'push', status: 'fail', detail: `the test push to ${path} ${answer(push)}`, millis: push.millis, data: push.ok ? { httpStatus: push.status } : { error: push.code } });
    return checks;
  }
  checks.push({ name: 'push', status: 'ok', detail: `pushed a test group (${path}, HTTP ${push.status})`, millis: push.millis, data: { httpStatus: push.status, path } });
  const del = await httpProbe(`${config.endpoint}${path}`, { method: 'DELETE', headers: config.headers, ...tls }, budget);
  const deleted = del.ok && del.status >= 200 && del.status < 300;
  checks.push({ name: 'delete', status: deleted ? 'ok' : 'warn', detail: deleted ? `deleted the test group (HTTP ${del.status})` : `the test group ${path} could not be deleted: ${answer(del)}; delete it by hand`, millis: del.millis, data: del.ok ? { httpStatus: del.status } : { error: del.code } });
  return checks;
}

function answer(r: ProbeResult): string {
  if (!r.ok) return `got no answer (${r.code}): ${r.message}`;
  const text = r.body.toString('utf8', 0, 200).trim().split('\n')[0];
  const why = r.status === 401 || r.status === 403 ? ': check OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_USERNAME/PASSWORD or _HEADERS' : '';
  return `answered HTTP ${r.status}${text ? ` (${text})` : ''}${why}`;
}
