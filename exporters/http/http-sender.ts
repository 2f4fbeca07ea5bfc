import * as http from 'node:http';
import type * as httpsTypes from 'node:https';
import { ExportError, isPermanentTransportError, type ExportErrorDetails } from '../delivery/export-error';
import type { Attempt } from '../delivery/attempt';
import { isRetryableHttpStatus } from '../delivery/is-retryable';
import { gzipAsync } from './gzip';
import { parseRetryAfter } from './retry-after';
import { foreignText } from '../../core/foreign-text';

/** Settings of one {@link createHttpSender} destination. */
export interface HttpSenderOptions {
  /** Where to POST; credentials in it are never printed. */
  url: string | URL;
  /** Request headers; values are never printed. */
  headers?: Record<string, string>;
  /** Body compression; default `none`. */
  compression?: 'gzip' | 'none';
  /** PEM trust roots, client key and client certificate chain (https only). */
  ca?: Buffer;
  key?: Buffer;
  cert?: Buffer;
  /** `content-type` of every body. */
  contentType: string;
  /** How messages name the destination; default the URL without userinfo or query. */
  destination?: string;
  /** Larger answers are not read; a 2xx is still a success. Default 4 MiB. */
  maxResponseBytes?: number;
}

/** The answer to one send: a 2xx with its body, or the failure, classified. */
export type HttpOutcome =
  | { ok: true; status: number; headers: http.IncomingHttpHeaders; body: Buffer }
  | { ok: false; error: ExportError };

/** Decides a non-2xx answer's fate for one destination; `undefined` leaves it to the default rules. */
export type HttpClassifier = (status: number, headers: http.IncomingHttpHeaders, body: Buffer) => Omit<ExportErrorDetails, 'destination'> & { message?: string } | undefined;

/** Per-send overrides. */
export interface HttpSendOptions {
  url?: string | URL;
  headers?: Record<string, string>;
  classify?: HttpClassifier;
}

/** One HTTP destination: a keep-alive agent and a send that never throws and never keeps the app alive. */
export interface HttpSender {
  /** POSTs `body` (gzipped off the event loop when configured); stops, and resolves, when the attempt's signal aborts. */
  send(body: Uint8Array, attempt: Attempt, options?: HttpSendOptions): Promise<HttpOutcome>;
  /** Aborts requests in flight and closes idle connections. */
  shutdown(): void;
}

/** The user agent of every request we send; the HTTP client metrics skip requests carrying it. */
export const PIPELINE_USER_AGENT = 'otel-metrics-pipeline';

/**
 * The one HTTP client of every push destination over HTTP (OTLP/HTTP, InfluxDB, Pushgateway).
 * It classifies every outcome into an ExportError (retryable, permanent, or throttled with a
 * delay) and never retries: the delivery chain's retry is the one policy. 307/308 are followed
 * once with the same method and body (never from https to http, and without the configured
 * headers when the origin changes, as browsers drop Authorization); other redirects are
 * permanent (the endpoint moved). It keeps no timer: the attempt's signal ends a request.
 */
export function createHttpSender(options: HttpSenderOptions): HttpSender {
  const base = new URL(options.url);
  const secure = base.protocol === 'https:';
  // node:https (TLS, OpenSSL) costs several MiB to load: only when used.
  const https = secure ? require('node:https') as typeof httpsTypes : undefined;
  const agent = https
    ? new https.Agent({ keepAlive: true, ca: options.ca, key: options.key, cert: options.cert })
    : new http.Agent({ keepAlive: true });
  const maxResponseBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;
  const inFlight = new Set<http.ClientRequest>();
  let stopped = false;

  async function send(data: Uint8Array, attempt: Attempt, sendOptions: HttpSendOptions = {}): Promise<HttpOutcome> {
    const url = new URL(sendOptions.url ?? base);
    let body: Uint8Array;
    try {
      body = options.compression === 'gzip' ? await gzipAsync(data) : data;
    } catch (err) {
      return { ok: false, error: failure(url, `gzip failed: ${(err as Error).message}`, { retryable: false, type: 'compression' }) };
    }
    let outcome = await once(url, body, attempt.signal, sendOptions);
    if ('redirect' in outcome) {
      const target = outcome.redirect;
      if (url.protocol === 'https:' && target.protocol !== 'https:') {
        return { ok: false, error: failure(url, 'redirected from https to plain http; not followed', { retryable: false, type: 'redirect' }) };
      }
      // Configured headers carry credentials (authorization, api keys): they go only to the origin they were set for.
      const sameOrigin = target.origin === url.origin;
      const again = attempt.signal.aborted ? undefined : await once(target, body, attempt.signal, sendOptions, sameOrigin);
      outcome = again === undefined || 'redirect' in again
        ? { ok: false, error: failure(url, 'redirected more than once', { retryable: false, type: 'redirect' }) }
        : again;
    }
    return outcome;
  }

  function once(url: URL, body: Uint8Array, signal: AbortSignal, sendOptions: HttpSendOptions, withConfiguredHeaders = true): Promise<HttpOutcome | { redirect: URL }> {
    const headers: Record<string, string | number> = {
      ...(withConfiguredHeaders ? options.headers : {}),
      ...(withConfiguredHeaders ? sendOptions.headers : {}),
      'content-type': options.contentType,
      'content-length': body.byteLength,
      'user-agent': PIPELINE_USER_AGENT,
    };
    if (options.compression === 'gzip') headers['content-encoding'] = 'gzip';
    const request = url.protocol === 'https:' ? https?.request : http.request;
    if (!request) return Promise.resolve({ ok: false, error: failure(url, `cannot follow a redirect to ${url.protocol}`, { retryable: false, type: 'redirect' }) });
    return new Promise((resolve) => {
      let req: http.ClientRequest | undefined;
      let settled = false;
      const finish = (outcome: HttpOutcome | { redirect: URL }): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if (req) inFlight.delete(req);
        resolve(outcome);
      };
      // The timeout layer already failed the attempt; this only frees the socket.
      const onAbort = (): void => {
        req?.destroy();
        finish({ ok: false, error: failure(url, 'aborted: the attempt ended', { retryable: true, type: 'timeout' }) });
      };
      if (signal.aborted) return onAbort();
      try {
        req = request(url, { method: 'POST', headers, agent }, onResponse);
      } catch (err) {
        // Invalid header names or values, an unusable client key: fixing the configuration is the only cure.
        const code = (err as NodeJS.ErrnoException).code ?? 'request_error';
        resolve({ ok: false, error: failure(url, (err as Error).message.split('\n')[0]!, { retryable: false, type: code }) });
        return;
      }
      function onResponse(res: http.IncomingMessage): void {
        const chunks: Buffer[] = [];
        let size = 0;
        const status = res.statusCode ?? 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxResponseBytes) chunks.push(chunk);
          // A 2xx is a success whatever its body; an oversized one is just not read.
          else if (status >= 200 && status < 300) finish({ ok: true, status, headers: res.headers, body: Buffer.alloc(0) });
          else finish({ ok: false, error: classifyStatus(url, status, res, Buffer.concat(chunks), sendOptions.classify) });
          if (size > maxResponseBytes) res.destroy();
        });
        res.on('error', (err) => finish({ ok: false, error: failure(url, err.message, { retryable: true, type: 'response_error' }) }));
        res.on('end', () => {
          const responseBody = Buffer.concat(chunks);
          if (status >= 200 && status < 300) return finish({ ok: true, status, headers: res.headers, body: responseBody });
          if ((status === 307 || status === 308) && typeof res.headers.location === 'string') {
            try {
              return finish({ redirect: new URL(res.headers.location, url) });
            } catch { /* an unusable location is a plain failure below */ }
          }
          finish({ ok: false, error: classifyStatus(url, status, res, responseBody, sendOptions.classify) });
        });
      }
      signal.addEventListener('abort', onAbort, { once: true });
      inFlight.add(req);
      // An export in flight must not keep a finished app alive; the exit flush waits for it explicitly.
      req.on('socket', (socket) => socket.unref());
      req.on('error', (err: NodeJS.ErrnoException) => {
        // Our own shutdown ending a request is no network failure.
        if (stopped) return finish({ ok: false, error: failure(url, 'exporter shut down', { retryable: false, type: 'shutdown' }) });
        // TLS verification failures are permanent until someone fixes the certificates.
        const permanent = isPermanentTransportError(err.code);
        // One line: some TLS alerts carry OpenSSL's multi-line detail.
        finish({ ok: false, error: failure(url, err.message.split('\n')[0]!, { retryable: !permanent, type: err.code ?? 'network_error' }) });
      });
      req.end(body);
    });
  }

  function classifyStatus(url: URL, status: number, res: http.IncomingMessage, body: Buffer, classify: HttpClassifier | undefined): ExportError {
    const custom = classify?.(status, res.headers, body);
    if (custom) return failure(url, custom.message ?? `HTTP ${status} ${foreignText(res.statusMessage, 100)}`.trim(), custom);
    if (status >= 300 && status < 400) {
      return failure(url, `HTTP ${status}: the endpoint moved${res.headers.location ? ' (to another location)' : ''}; fix the configured URL`, { retryable: false, type: String(status), httpStatus: status });
    }
    const retryable = isRetryableHttpStatus(status);
    const retryAfterMillis = retryable ? parseRetryAfter(first(res.headers['retry-after'])) : undefined;
    return failure(url, `HTTP ${status} ${foreignText(res.statusMessage, 100)}`.trim(), { retryable, type: String(status), httpStatus: status, retryAfterMillis });
  }

  function failure(url: URL, message: string, details: Omit<ExportErrorDetails, 'destination'>): ExportError {
    const destination = options.destination ?? `${url.protocol}//${url.host}${url.pathname}`;
    return new ExportError(message, { ...details, destination });
  }

  return {
    send,
    shutdown(): void {
      stopped = true;
      for (const req of inFlight) req.destroy();
      agent.destroy();
    },
  };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
