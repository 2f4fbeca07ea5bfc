import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import * as http from 'node:http';
import type * as httpsTypes from 'node:https';
import type * as zlibTypes from 'node:zlib';
import type { ExportErrorDetails } from './export-error';
import { failedResponse, reportPartialSuccess, type OtlpTransportOptions } from './otlp-transport-common';
import { parseRetryAfter } from './retry-after';

/** Settings for {@link createOtlpHttpTransport}. */
export interface OtlpHttpTransportOptions extends OtlpTransportOptions {
  contentType: 'application/x-protobuf' | 'application/json';
}

// The OTLP spec's retryable HTTP statuses: https://opentelemetry.io/docs/specs/otlp/#retryable-response-codes
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const USER_AGENT = 'otel-metrics-pipeline';

/**
 * OTLP/HTTP transport: moves bytes and classifies the outcome. It never retries; the retry
 * decorator does, so there is exactly one retry policy. Replaces upstream's transport, whose
 * built-in retry cannot be turned off and which drops the status and Retry-After it saw.
 */
export function createOtlpHttpTransport(options: OtlpHttpTransportOptions): IExporterTransport {
  const url = new URL(options.url);
  const destination = `${url.protocol}//${url.host}${url.pathname}`;
  const secure = url.protocol === 'https:';
  // node:https (TLS, OpenSSL) and node:zlib cost several MiB to load: only when used.
  const https = secure ? require('node:https') as typeof httpsTypes : undefined;
  const agent = https
    ? new https.Agent({ keepAlive: true, ca: options.ca, key: options.key, cert: options.cert })
    : new http.Agent({ keepAlive: true });
  const request = https ? https.request : http.request;
  const inFlight = new Set<http.ClientRequest>();
  const fail = (message: string, details: Omit<ExportErrorDetails, 'destination'>): ExportResponse => failedResponse(destination, message, details);

  return {
    async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
      const body = options.compression === 'gzip' ? await gzipAsync(data) : data;
      return new Promise<ExportResponse>((resolve) => {
        const headers: Record<string, string | number> = {
          ...options.headers,
          'content-type': options.contentType,
          'content-length': body.byteLength,
          'user-agent': USER_AGENT,
        };
        if (options.compression === 'gzip') headers['content-encoding'] = 'gzip';
        let settled = false;
        const finish = (response: ExportResponse) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          inFlight.delete(req);
          resolve(response);
        };
        const req = request(url, { method: 'POST', headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              res.destroy();
              finish(fail('response body too large', { retryable: false, type: 'response_too_large', httpStatus: res.statusCode }));
            } else chunks.push(chunk);
          });
          res.on('error', (err) => finish(fail(err.message, { retryable: true, type: 'response_error' })));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              reportPartialSuccess(options, Buffer.concat(chunks));
              finish({ status: 'success' });
              return;
            }
            const retryable = RETRYABLE_STATUS.has(status);
            const retryAfterMillis = retryable ? parseRetryAfter(header(res.headers['retry-after'])) : undefined;
            finish(fail(`HTTP ${status} ${res.statusMessage ?? ''}`.trim(), { retryable, type: String(status), httpStatus: status, retryAfterMillis }));
          });
        });
        const timer = setTimeout(() => {
          req.destroy();
          finish(fail(`no response within ${timeoutMillis}ms`, { retryable: true, type: 'timeout' }));
        }, timeoutMillis);
        timer.unref();
        inFlight.add(req);
        // An export in flight must not keep a finished app alive; the exit flush waits for it explicitly.
        req.on('socket', (socket) => socket.unref());
        req.on('error', (err: NodeJS.ErrnoException) => {
          // TLS verification failures are permanent until someone fixes the certificates.
          const tls = typeof err.code === 'string' && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(err.code);
          finish(fail(err.message, { retryable: !tls, type: err.code ?? 'network_error' }));
        });
        req.end(body);
      });
    },
    // Aborts requests still in flight: shutdown happens after the queue stopped waiting for them.
    shutdown(): void {
      for (const req of inFlight) req.destroy(new Error('exporter shut down'));
      agent.destroy();
    },
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function gzipAsync(data: Uint8Array): Promise<Buffer> {
  const { gzip } = require('node:zlib') as typeof zlibTypes;
  return new Promise((resolve, reject) => gzip(data, (err, out) => (err ? reject(err) : resolve(out))));
}
