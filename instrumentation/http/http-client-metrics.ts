import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Attributes, Meter } from '@opentelemetry/api';
import { DURATION_BUCKETS, INTERNAL_HTTP, isInternalUserAgent, normalizeMethod, undiciUserAgent } from './http-attributes';

interface UndiciRequest { origin?: unknown; method?: string; headers?: unknown }

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

/** `{server.address, server.port, url.scheme}` from a `host[:port]` and a scheme. */
function target(scheme: string, host: string | undefined, port?: number): Attributes {
  const attrs: Attributes = { 'url.scheme': scheme };
  if (host === undefined) return attrs;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  attrs['server.address'] = m ? m[1].replace(/^\[|\]$/g, '') : host;
  attrs['server.port'] = port ?? (m?.[2] ? Number(m[2]) : DEFAULT_PORTS[scheme]);
  return attrs;
}

/**
 * `http.client.request.duration` for node:http(s) (request start until the response body is
 * read, or the error) and for fetch/undici (request creation until the response headers, since
 * an unread fetch body never ends). Requests marked as the pipeline's own are skipped.
 */
export function httpClientMetrics(meter: Meter) {
  const duration = meter.createHistogram('http.client.request.duration', { unit: 's', description: 'Duration of HTTP client requests', advice: { explicitBucketBoundaries: DURATION_BUCKETS } });
  const started = new WeakMap<object, { start: number; attrs: Attributes }>();
  const origins = new Map<string, Attributes>();

  function end(request: object, extra: Attributes): void {
    const s = started.get(request);
    if (!s) return;
    started.delete(request);
    duration.record((performance.now() - s.start) / 1000, { ...s.attrs, ...extra });
  }
  function originAttrs(origin: string): Attributes {
    let attrs = origins.get(origin);
    if (!attrs) {
      try {
        const u = new URL(origin);
        const scheme = u.protocol.replace(':', '');
        attrs = target(scheme, u.hostname.replace(/^\[|\]$/g, ''), u.port ? Number(u.port) : DEFAULT_PORTS[scheme]);
      } catch {
        attrs = {};
      }
      if (origins.size > 1000) origins.clear(); // bound the cache; apps talk to few origins
      origins.set(origin, attrs);
    }
    return attrs;
  }
  const errorType = (error: unknown): string => String((error as { code?: unknown })?.code ?? (error as Error)?.name ?? '_OTHER');

  return {
    onHttpStart(message: unknown): void {
      const { request } = message as { request: ClientRequest & Record<symbol, unknown> };
      if (request[INTERNAL_HTTP] || isInternalUserAgent(request.getHeader('user-agent'))) return;
      const scheme = String(request.protocol ?? 'http:').replace(':', '');
      const hostHeader = request.getHeader('host');
      const attrs = target(scheme, typeof hostHeader === 'string' ? hostHeader : request.host);
      attrs['http.request.method'] = normalizeMethod(request.method);
      started.set(request, { start: performance.now(), attrs });
    },
    onHttpFinish(message: unknown): void {
      const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
      const extra: Attributes = { 'http.response.status_code': response.statusCode, 'network.protocol.version': response.httpVersion };
      if ((response.statusCode ?? 0) >= 400) extra['error.type'] = String(response.statusCode);
      end(request, extra);
    },
    onHttpError(message: unknown): void {
      const { request, error } = message as { request: ClientRequest; error: unknown };
      end(request, { 'error.type': errorType(error) });
    },
    onUndiciCreate(message: unknown): void {
      const { request } = message as { request: UndiciRequest };
      if (isInternalUserAgent(undiciUserAgent(request.headers))) return;
      const attrs = { ...originAttrs(String(request.origin)), 'http.request.method': normalizeMethod(request.method) };
      started.set(request, { start: performance.now(), attrs });
    },
    onUndiciHeaders(message: unknown): void {
      const { request, response } = message as { request: object; response: { statusCode: number } };
      const extra: Attributes = { 'http.response.status_code': response.statusCode };
      if (response.statusCode >= 400) extra['error.type'] = String(response.statusCode);
      end(request, extra);
    },
    onUndiciError(message: unknown): void {
      const { request, error } = message as { request: object; error: unknown };
      end(request, { 'error.type': errorType(error) });
    },
  };
}
