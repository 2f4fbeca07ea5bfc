import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthMonitor } from './health-monitor';

/**
 * Answers GET /healthz (liveness: 200 whenever the process answers) and GET /readyz
 * (readiness: 503 when any resource check fails) with the JSON report. Returns false for other
 * paths, so a server that also serves /metrics can hand the request on.
 */
export function handleHealthRequest(monitor: HealthMonitor, request: IncomingMessage, response: ServerResponse): boolean {
  const path = (request.url ?? '').split('?')[0];
  if (path !== '/healthz' && path !== '/readyz') return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  let body: string;
  let ok: boolean;
  try {
    const report = monitor.report();
    ok = path === '/healthz' ? report.live : report.ready;
    body = JSON.stringify(report);
  } catch (err) {
    ok = false;
    body = JSON.stringify({ status: 'unknown', error: (err as Error).message });
  }
  response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}
