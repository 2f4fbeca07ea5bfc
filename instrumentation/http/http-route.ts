import type { IncomingMessage } from 'node:http';

const ROUTE = Symbol.for('otel-metrics-pipeline.http.route');

/**
 * Sets the route template (e.g. `/users/:id`) of a server request, for `http.route`. Call it from
 * a router or middleware; raw paths are never used, since every distinct id would make a series.
 */
export function setHttpRoute(request: IncomingMessage, route: string): void {
  (request as unknown as Record<symbol, string>)[ROUTE] = route;
}

/**
 * The route of a finished server request: what setHttpRoute set, else Express's matched route
 * (`req.baseUrl` + `req.route.path` when it is a string), else undefined.
 */
export function routeOf(request: IncomingMessage): string | undefined {
  const r = request as unknown as Record<symbol | string, unknown>;
  const set = r[ROUTE];
  if (typeof set === 'string') return set;
  const route = r.route as { path?: unknown } | undefined;
  if (route && typeof route.path === 'string') return `${typeof r.baseUrl === 'string' ? r.baseUrl : ''}${route.path}`;
  return undefined;
}
