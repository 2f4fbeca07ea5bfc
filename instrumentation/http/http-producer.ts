import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Meter } from '@opentelemetry/api';
import { ConfigError } from '../../core/errors';
import { EnvReader } from '../../core/env-reader';
import { httpClientMetrics } from './http-client-metrics';
import { httpServerMetrics, type RouteFn } from './http-server-metrics';
import { routeOf } from './http-route';
import type { MetricProducer } from '../producer';
import type { ProducerContext } from '../../core/direct-source';

/** Options of the `http` producer. */
export interface HttpProducerOptions {
  /** Record server metrics; default true. */
  server?: boolean;
  /** Record client metrics (node:http and fetch); default true. */
  client?: boolean;
  /** Route template of a finished server request; default setHttpRoute, then Express's `req.route`. */
  route?: RouteFn;
  /**
   * Record http.server.request.body.size and response.body.size (semconv Development metrics, two
   * SDK records per request, several times the cost of the rest: the duration records none); default false (env
   * `OTEL_METRICS_HTTP_BODY_SIZES`).
   */
  bodySizes?: boolean;
  /** Where env variables are read; default process.env. */
  env?: EnvReader;
}

/**
 * HTTP server and client metrics through node:diagnostics_channel, so nothing is patched and it
 * works the same for CommonJS and ES modules, node:http/https, fetch and frameworks on top.
 */
export function createHttpProducer(options: HttpProducerOptions = {}): MetricProducer {
  if (options.bodySizes !== undefined && typeof options.bodySizes !== 'boolean') throw new ConfigError('http.bodySizes must be a boolean');
  const bodySizes = options.bodySizes ?? (options.env ?? new EnvReader()).bool('OTEL_METRICS_HTTP_BODY_SIZES', false);
  let subscriptions: Array<[string, (message: unknown) => void]> | undefined;
  let stopServer = (): void => {};
  return {
    name: 'http',
    start(meter: Meter, context?: ProducerContext) {
      if (subscriptions) return;
      subscriptions = [];
      if (options.server !== false) {
        const s = httpServerMetrics(meter, options.route ?? routeOf, bodySizes, context?.direct);
        stopServer = s.stop;
        subscriptions.push(['http.server.request.start', s.onStart], ['http.server.response.finish', s.onFinish]);
      }
      if (options.client !== false) {
        const c = httpClientMetrics(meter);
        subscriptions.push(
          ['http.client.request.start', c.onHttpStart],
          ['http.client.response.finish', c.onHttpFinish],
          ['http.client.request.error', c.onHttpError],
          ['undici:request:create', c.onUndiciCreate],
          ['undici:request:headers', c.onUndiciHeaders],
          ['undici:request:error', c.onUndiciError],
        );
      }
      for (const [channel, handler] of subscriptions) subscribe(channel, guarded(handler));
    },
    stop() {
      for (const [channel, handler] of subscriptions ?? []) unsubscribe(channel, guarded(handler));
      subscriptions = undefined;
      stopServer();
      stopServer = () => {};
    },
  };
}

// Channel handlers run inside the app's request path: a throw there would reach the app.
const wrappers = new WeakMap<(m: unknown) => void, (m: unknown) => void>();
function guarded(handler: (message: unknown) => void): (message: unknown) => void {
  let wrapped = wrappers.get(handler);
  if (!wrapped) {
    wrapped = (message) => {
      try {
        handler(message);
      } catch {
        /* a metric is lost; the request is not */
      }
    };
    wrappers.set(handler, wrapped);
  }
  return wrapped;
}
