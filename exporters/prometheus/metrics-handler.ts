import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { CollectionResult } from '@opentelemetry/sdk-metrics';
import { defaultLog } from '../../core/log';
import type { RateLimitedLog } from '../../core/rate-limited-log';
import { negotiateFormat } from './content-negotiation';
import type { PrometheusSerializer } from './prometheus-serializer';
import type { ScrapeAuth } from './scrape-auth';

/** Options of {@link createMetricsHandler}. */
export interface MetricsHandlerOptions {
  /** Collects the metrics; called once for any number of scrapes that arrive while it runs. */
  collect: () => Promise<CollectionResult>;
  serializer: PrometheusSerializer;
  /** Who may scrape; default anyone. */
  auth?: ScrapeAuth;
  /** Gzip the response when the scraper accepts it; default `gzip` (env `OTEL_EXPORTER_PROMETHEUS_COMPRESSION`). */
  compression?: 'gzip' | 'none';
  /** The path served; default `/metrics`. */
  endpoint?: string;
  /** This handler's own limiter for its collect and scrape lines; default a new one at warn on stderr. */
  log?: RateLimitedLog;
}

/** A plain Node request listener, usable with any http/https server or framework. */
export type MetricsRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

// Resolves when `stream` can take more, or when the scraper went away (then the loop stops).
function waitForDrain(stream: Writable, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      res.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    res.on('close', done);
  });
}

/**
 * The `/metrics` handler, kept apart from any server as client_golang's promhttp.HandlerFor is.
 * Scrapes that overlap share one collection; each one streams its own serialization (formats
 * may differ) piece by piece with backpressure, optionally through gzip (level 1: metric text
 * compresses ~10x even so, and the CPU stays with the app).
 */
export function createMetricsHandler(options: MetricsHandlerOptions): MetricsRequestHandler {
  const endpoint = options.endpoint ?? '/metrics';
  const log = options.log ?? defaultLog.limited();
  const gzip = (options.compression ?? 'gzip') === 'gzip';
  let inflight: Promise<CollectionResult> | undefined;
  const collectShared = () => {
    inflight ??= options.collect().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== endpoint) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found; metrics are at ${endpoint}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (options.auth) {
      const verdict = await options.auth.check(req.headers.authorization);
      if (verdict === 'busy') {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain; charset=utf-8' }).end('too many credential checks at once; retry\n');
        return;
      }
      if (verdict !== 'ok') {
        res.writeHead(401, { 'www-authenticate': options.auth.challenge, 'content-type': 'text/plain; charset=utf-8' }).end('unauthorized\n');
        return;
      }
    }
    const { resourceMetrics, errors } = await collectShared();
    if (errors.length > 0) log.log('prometheus-collect', `prometheus: ${errors.length} error(s) while collecting metrics for a scrape; serving what was collected (first: ${String((errors[0] as Error)?.message ?? errors[0])})`);
    const negotiated = negotiateFormat(req.headers.accept);
    const compress = gzip && /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, { 'content-type': negotiated.contentType, vary: 'Accept, Accept-Encoding', ...(compress ? { 'content-encoding': 'gzip' } : {}) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    let out: Writable = res;
    if (compress) {
      const zlib = require('node:zlib') as typeof import('node:zlib');
      const z = zlib.createGzip({ level: zlib.constants.Z_BEST_SPEED });
      z.pipe(res);
      res.on('close', () => z.destroy());
      out = z;
    }
    for (const piece of options.serializer.serialize(resourceMetrics, negotiated.format, negotiated.utf8)) {
      if (res.destroyed) break;
      if (!out.write(piece)) await waitForDrain(out, res);
    }
    out.end();
  };

  return (req, res) => {
    serve(req, res).catch((err: unknown) => {
      log.log('prometheus-scrape', `prometheus: a scrape failed (${(err as Error)?.message ?? String(err)}); the app is not affected`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('collection failed\n');
      else res.destroy();
    });
  };
}
