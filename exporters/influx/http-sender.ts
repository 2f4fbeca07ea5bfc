import * as http from 'node:http';
import type * as httpsTypes from 'node:https';
import type * as zlibTypes from 'node:zlib';
import { ExportError } from '../export-error';
import { parseRetryAfter } from '../retry-after';

// TEMPORARY: a minimal sender with the shape of the shared exporters/http/http-sender.ts that
// the seam (issue 6) brings; this file goes once that lands.

/** Settings for {@link createHttpSender}. */
export interface HttpSenderOptions {
  url: string;
  headers?: Record<string, string>;
  compression?: 'gzip' | 'none';
  ca?: Buffer;
  key?: Buffer;
  cert?: Buffer;
  contentType: string;
  /** Names the endpoint in messages; must hold no credentials. */
  destination?: string;
}

/** What one request ended with. */
export type HttpOutcome =
  | { ok: true; status: number; headers: http.IncomingHttpHeaders; body: Buffer }
  | { ok: false; error: ExportError };

/** Per-request overrides; `classify` returns undefined for "ok" or the failure. */
export interface SendOverrides {
  url?: string;
  headers?: Record<string, string>;
  classify?: (status: number, headers: http.IncomingHttpHeaders, body: Buffer) => ExportError | undefined;
}

/** Moves bytes over HTTP(S) with keep-alive; never retries, never keeps the process alive. */
export interface HttpSender {
  send(body: Uint8Array, timeoutMillis: number, overrides?: SendOverrides): Promise<HttpOutcome>;
  shutdown(): void;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;
const RETRYABLE = new Set([429, 502, 503, 504]);

/** Creates a sender for one destination. */
export function createHttpSender(options: HttpSenderOptions): HttpSender {
  const base = new URL(options.url);
  const destination = options.destination ?? `${base.protocol}//${base.host}${base.pathname}`;
  const https = base.protocol === 'https:' ? require('node:https') as typeof httpsTypes : undefined;
  const agent = https ? new https.Agent({ keepAlive: true, ca: options.ca, key: options.key, cert: options.cert }) : new http.Agent({ keepAlive: true });
  const request = https ? https.request : http.request;
  const inFlight = new Set<http.ClientRequest>();
  const fail = (message: string, retryable: boolean, type: string, httpStatus?: number, retryAfterMillis?: number): HttpOutcome =>
    ({ ok: false, error: new ExportError(`${destination}: ${message}`, { destination, retryable, type, httpStatus, retryAfterMillis }) });

  return {
    async send(data, timeoutMillis, overrides = {}) {
      const gzip = options.compression === 'gzip';
      const body = gzip ? await gzipAsync(data) : data;
      return new Promise<HttpOutcome>((resolve) => {
        const headers: Record<string, string | number> = { ...options.headers, ...overrides.headers, 'content-type': options.contentType, 'content-length': body.byteLength };
        if (gzip) headers['content-encoding'] = 'gzip';
        let settled = false;
        const finish = (outcome: HttpOutcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          inFlight.delete(req);
          resolve(outcome);
        };
        const req = request(overrides.url ?? options.url, { method: 'POST', headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
          });
          res.on('error', (err) => finish(fail(err.message, true, 'response_error')));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks);
            const classified = overrides.classify ? overrides.classify(status, res.headers, text) : defaultClassify(status, res.headers);
            finish(classified ? { ok: false, error: classified } : { ok: true, status, headers: res.headers, body: text });
          });
        });
        const timer = setTimeout(() => {
          req.destroy();
          finish(fail(`no response within ${timeoutMillis}ms`, true, 'timeout'));
        }, timeoutMillis);
        timer.unref();
        inFlight.add(req);
        req.on('socket', (socket) => socket.unref());
        req.on('error', (err: NodeJS.ErrnoException) => {
          const tls = typeof err.code === 'string' && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(err.code);
          finish(fail(err.message, !tls, err.code ?? 'network_error'));
        });
        req.end(body);
      });

      function defaultClassify(status: number, h: http.IncomingHttpHeaders): ExportError | undefined {
        if (status >= 200 && status < 300) return undefined;
        const retryable = RETRYABLE.has(status);
        const after = retryable ? parseRetryAfter(Array.isArray(h['retry-after']) ? h['retry-after'][0] : h['retry-after']) : undefined;
        return new ExportError(`${destination}: HTTP ${status}`, { destination, retryable, type: String(status), httpStatus: status, retryAfterMillis: after });
      }
    },
    shutdown() {
      for (const req of inFlight) req.destroy(new Error('exporter shut down'));
      agent.destroy();
    },
  };
}

function gzipAsync(data: Uint8Array): Promise<Buffer> {
  const { gzip } = require('node:zlib') as typeof zlibTypes;
  return new Promise((resolve, reject) => gzip(data, (err, out) => (err ? reject(err) : resolve(out))));
}
