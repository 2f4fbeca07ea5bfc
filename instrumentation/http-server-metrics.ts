import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValueType, type Attributes, type Meter } from '@opentelemetry/api';
import { DURATION_BUCKETS, INTERNAL_HTTP, isInternalUserAgent, normalizeMethod } from './http-attributes';

/** Decides the `http.route` of a finished request; default: setHttpRoute, then Express. */
export type RouteFn = (request: IncomingMessage) => string | undefined;

interface Pending { start: number; request: IncomingMessage; active: Attributes }
interface StartMessage { request: IncomingMessage; response: ServerResponse; server?: object }

/**
 * Server-side HTTP metrics from node:http's diagnostics channels: duration, active requests and
 * body sizes (when Content-Length is known; chunked bodies are not measured). Returns the two
 * channel handlers; the caller subscribes them.
 */
export function httpServerMetrics(meter: Meter, route: RouteFn) {
  const duration = meter.createHistogram('http.server.request.duration', { unit: 's', description: 'Duration of HTTP server requests', advice: { explicitBucketBoundaries: DURATION_BUCKETS } });
  const active = meter.createUpDownCounter('http.server.active_requests', { unit: '{request}', valueType: ValueType.INT, description: 'HTTP server requests in progress' });
  const requestSize = meter.createHistogram('http.server.request.body.size', { unit: 'By', valueType: ValueType.INT, description: 'HTTP server request body size (Content-Length)' });
  const responseSize = meter.createHistogram('http.server.response.body.size', { unit: 'By', valueType: ValueType.INT, description: 'HTTP server response body size (Content-Length)' });
  const pending = new WeakMap<ServerResponse, Pending>();

  function finish(response: ServerResponse, p: Pending, errorType: string | undefined): void {
    pending.delete(response);
    active.add(-1, p.active);
    const { request } = p;
    const attrs: Attributes = { ...p.active, 'network.protocol.version': request.httpVersion };
    const r = route(request);
    if (r !== undefined) attrs['http.route'] = r;
    if (errorType === undefined) {
      attrs['http.response.status_code'] = response.statusCode;
      if (response.statusCode >= 500) attrs['error.type'] = String(response.statusCode);
    } else {
      attrs['error.type'] = errorType;
    }
    duration.record((performance.now() - p.start) / 1000, attrs);
    const inLength = request.headers['content-length'];
    if (inLength !== undefined) requestSize.record(Number(inLength), attrs);
    const outLength = response.getHeader('content-length');
    if (outLength !== undefined) responseSize.record(Number(outLength), attrs);
  }

  // A client that hangs up before the response ends never reaches response.finish; 'close'
  // always comes, so an unfinished entry there is an aborted request (and active_requests stays right).
  function onClose(this: ServerResponse): void {
    const p = pending.get(this);
    if (p) finish(this, p, 'aborted');
  }

  return {
    onStart(message: unknown): void {
      const { request, response, server } = message as StartMessage;
      if ((server as Record<symbol, unknown> | undefined)?.[INTERNAL_HTTP] || isInternalUserAgent(request.headers['user-agent'])) return;
      const activeAttrs: Attributes = {
        'http.request.method': normalizeMethod(request.method),
        'url.scheme': (request.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http',
      };
      pending.set(response, { start: performance.now(), request, active: activeAttrs });
      active.add(1, activeAttrs);
      response.once('close', onClose);
    },
    onFinish(message: unknown): void {
      const { response } = message as StartMessage;
      const p = pending.get(response);
      if (p) finish(response, p, undefined);
    },
  };
}
