import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValueType, type Attributes, type Meter } from '@opentelemetry/api';
import { DURATION_BUCKETS, INTERNAL_HTTP, isInternalUserAgent, normalizeMethod } from './http-attributes';

/** Decides the `http.route` of a finished request; default: setHttpRoute, then Express. */
export type RouteFn = (request: IncomingMessage) => string | undefined;

/** Requests in flight for one method and scheme, and the attributes they are reported with. */
interface Active { attrs: Attributes; n: number }
interface Pending { start: number; request: IncomingMessage; active: Active }
interface StartMessage { request: IncomingMessage; response: ServerResponse; server?: object }

/**
 * Server-side HTTP metrics from node:http's diagnostics channels: duration, active requests and,
 * when `bodySizes`, body sizes (from Content-Length; chunked bodies are not measured). The hot
 * path does one SDK record per request: active requests are plain counters read at collection.
 */
export function httpServerMetrics(meter: Meter, route: RouteFn, bodySizes = true) {
  const duration = meter.createHistogram('http.server.request.duration', { unit: 's', description: 'Duration of HTTP server requests', advice: { explicitBucketBoundaries: DURATION_BUCKETS } });
  const activeGauge = meter.createObservableUpDownCounter('http.server.active_requests', { unit: '{request}', valueType: ValueType.INT, description: 'HTTP server requests in progress' });
  const requestSize = bodySizes ? meter.createHistogram('http.server.request.body.size', { unit: 'By', valueType: ValueType.INT, description: 'HTTP server request body size (Content-Length)' }) : undefined;
  const responseSize = bodySizes ? meter.createHistogram('http.server.response.body.size', { unit: 'By', valueType: ValueType.INT, description: 'HTTP server response body size (Content-Length)' }) : undefined;
  const pending = new WeakMap<ServerResponse, Pending>();
  // Keyed by method + scheme: a handful of entries, since unknown methods fold into _OTHER.
  const actives = new Map<string, Active>();
  const observeActive = (result: { observe(n: number, a: Attributes): void }) => { for (const a of actives.values()) result.observe(a.n, a.attrs); };
  activeGauge.addCallback(observeActive);

  function activeFor(method: string, https: boolean): Active {
    const key = https ? `${method} s` : method;
    let a = actives.get(key);
    if (!a) {
      a = { attrs: { 'http.request.method': method, 'url.scheme': https ? 'https' : 'http' }, n: 0 };
      actives.set(key, a);
    }
    return a;
  }

  function finish(response: ServerResponse, p: Pending, errorType: string | undefined): void {
    pending.delete(response);
    p.active.n--;
    const { request } = p;
    const attrs: Attributes = {
      'http.request.method': p.active.attrs['http.request.method'],
      'url.scheme': p.active.attrs['url.scheme'],
      'network.protocol.version': request.httpVersion,
    };
    const r = route(request);
    if (r !== undefined) attrs['http.route'] = r;
    if (errorType === undefined) {
      attrs['http.response.status_code'] = response.statusCode;
      if (response.statusCode >= 500) attrs['error.type'] = String(response.statusCode);
    } else {
      attrs['error.type'] = errorType;
    }
    duration.record((performance.now() - p.start) / 1000, attrs);
    if (!bodySizes) return;
    const inLength = request.headers['content-length'];
    if (inLength !== undefined) requestSize!.record(Number(inLength), attrs);
    const outLength = response.getHeader('content-length');
    if (outLength !== undefined) responseSize!.record(Number(outLength), attrs);
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
      const active = activeFor(normalizeMethod(request.method), (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true);
      active.n++;
      pending.set(response, { start: performance.now(), request, active });
      response.once('close', onClose);
    },
    onFinish(message: unknown): void {
      const { response } = message as StartMessage;
      const p = pending.get(response);
      if (p) finish(response, p, undefined);
    },
    stop(): void {
      activeGauge.removeCallback(observeActive);
    },
  };
}
