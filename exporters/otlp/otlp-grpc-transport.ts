import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import * as http2 from 'node:http2';
import type * as zlibTypes from 'node:zlib';
import { ExportError, isPermanentTransportError, type ExportErrorDetails } from '../../src/export-error';
import { GRPC_STATUS_NAMES, GrpcStatus, grpcStatusFromHttp, isRetryableGrpcStatus } from './grpc-status';
import { retryDelayFromStatusDetails } from './grpc-status-details';
import { failedResponse, reportPartialSuccess, type OtlpTransportOptions } from './otlp-transport-common';
import { foreignText } from '../../src/foreign-text';

const PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

/**
 * OTLP/gRPC transport: one unary call per export over node:http2, framed as the gRPC wire
 * protocol says (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md). Written here
 * rather than on @grpc/grpc-js because grpc-js holds a ref'd timer while a call waits for a
 * connection, which kept a finished app alive until the deadline; our session and timers are
 * unref'd, so only the exit flush, with its own bound, ever waits for an export. It never
 * retries; it reports the status and any google.rpc.RetryInfo to the retry decorator.
 */
export function createOtlpGrpcTransport(options: OtlpTransportOptions): IExporterTransport {
  const url = new URL(options.url);
  const authority = `${url.protocol}//${url.host}`;
  const destination = authority;
  const gzip = options.compression === 'gzip';
  const inFlight = new Set<http2.ClientHttp2Stream>();
  let session: http2.ClientHttp2Session | undefined;
  let sessionError: NodeJS.ErrnoException | undefined;

  const connect = (): http2.ClientHttp2Session => {
    if (session && !session.closed && !session.destroyed) return session;
    sessionError = undefined;
    const s = http2.connect(authority, { ca: options.ca, key: options.key, cert: options.cert });
    // Streams often fail with a bare cancel code; the session's error holds the cause (refused, TLS).
    s.on('error', (err: NodeJS.ErrnoException) => { sessionError = err; });
    const forget = () => { if (session === s) session = undefined; };
    s.on('close', forget);
    s.on('goaway', forget);
    s.unref();
    session = s;
    return s;
  };

  const fail = (message: string, details: Omit<ExportErrorDetails, 'destination'>): ExportResponse => failedResponse(new ExportError(message, { ...details, destination }));

  return {
    async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
      let message: Buffer;
      try {
        // Compressed off the event loop, as the HTTP sender does.
        message = gzip ? await gzipAsync(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      } catch (err) {
        return fail(`gzip failed: ${(err as Error).message}`, { retryable: false, type: 'compression' });
      }
      return new Promise((resolve) => {
        const frame = Buffer.allocUnsafe(5 + message.length);
        frame[0] = gzip ? 1 : 0;
        frame.writeUInt32BE(message.length, 1);
        message.copy(frame, 5);

        let stream: http2.ClientHttp2Stream;
        let settled = false;
        let responseHeaders: http2.IncomingHttpHeaders = {};
        let responseTrailers: http2.IncomingHttpHeaders = {};
        const chunks: Buffer[] = [];
        const finish = (response: ExportResponse) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          inFlight.delete(stream);
          resolve(response);
        };
        const timer = setTimeout(() => {
          stream?.close(http2.constants.NGHTTP2_CANCEL);
          finish(fail(`gRPC DEADLINE_EXCEEDED: no answer within ${timeoutMillis}ms`, { retryable: true, type: 'DEADLINE_EXCEEDED', grpcStatus: GrpcStatus.DEADLINE_EXCEEDED }));
        }, timeoutMillis);
        timer.unref();

        try {
          stream = connect().request({
            ...options.headers,
            ':method': 'POST',
            ':path': PATH,
            'content-type': 'application/grpc',
            te: 'trailers',
            'grpc-timeout': `${Math.max(1, Math.ceil(timeoutMillis))}m`,
            'grpc-accept-encoding': 'identity,gzip',
            'user-agent': 'otel-metrics-pipeline',
            ...(gzip ? { 'grpc-encoding': 'gzip' } : {}),
          });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? 'network_error';
          finish(fail((err as Error).message.split('\n')[0]!, { retryable: !isPermanentTransportError(code), type: code }));
          return;
        }
        inFlight.add(stream);
        stream.on('response', (headers) => { responseHeaders = headers; });
        stream.on('trailers', (trailers) => { responseTrailers = trailers; });
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (streamError: NodeJS.ErrnoException) => {
          // A stream cancelled because the connection failed carries the real error as its cause.
          const err = sessionError ?? (streamError.cause as NodeJS.ErrnoException | undefined) ?? streamError;
          const code = err.code ?? 'network_error';
          finish(fail(err.message.split('\n')[0]!, { retryable: !isPermanentTransportError(code), type: code }));
        });
        stream.on('close', () => finish(outcome(responseHeaders, responseTrailers, Buffer.concat(chunks))));
        stream.end(frame);
      });
    },
    // Cancels calls still in flight: shutdown happens after the queue stopped waiting for them.
    shutdown(): void {
      for (const stream of inFlight) stream.close(http2.constants.NGHTTP2_CANCEL);
      session?.close();
      session = undefined;
    },
  };

  function outcome(headers: http2.IncomingHttpHeaders, trailers: http2.IncomingHttpHeaders, body: Buffer): ExportResponse {
    const httpStatus = Number(headers[':status'] ?? 0);
    // A trailers-only response carries grpc-status in the headers.
    const rawStatus = trailers['grpc-status'] ?? headers['grpc-status'];
    if (rawStatus === undefined) {
      if (httpStatus === 0) return fail('gRPC stream closed without a response', { retryable: true, type: 'UNAVAILABLE', grpcStatus: GrpcStatus.UNAVAILABLE });
      const code = httpStatus === 200 ? GrpcStatus.INTERNAL : grpcStatusFromHttp(httpStatus);
      return failure(code, `HTTP ${httpStatus} without a gRPC status`, undefined);
    }
    const code = Number(rawStatus);
    if (code === GrpcStatus.OK) {
      reportPartialSuccess(options, unframe(body, headers['grpc-encoding'] === 'gzip'));
      return { status: 'success' };
    }
    const details = trailers['grpc-status-details-bin'] ?? headers['grpc-status-details-bin'];
    const retryAfterMillis = typeof details === 'string' ? retryDelayFromStatusDetails(Buffer.from(details, 'base64')) : undefined;
    return failure(code, decodeMessage(trailers['grpc-message'] ?? headers['grpc-message']), retryAfterMillis);
  }

  function failure(code: number, message: string, retryAfterMillis: number | undefined): ExportResponse {
    const type = GRPC_STATUS_NAMES[code] ?? String(code);
    const retryable = isRetryableGrpcStatus(code, retryAfterMillis !== undefined);
    return fail(`gRPC ${type}: ${message}`, { retryable, type, grpcStatus: code, retryAfterMillis });
  }
}

/** The message of the first length-prefixed gRPC frame, if any. */
function unframe(body: Buffer, gzip: boolean): Uint8Array | undefined {
  if (body.length < 5) return undefined;
  const length = body.readUInt32BE(1);
  const message = body.subarray(5, 5 + length);
  try {
    // The per-message flag says whether this message is compressed (with the stream's grpc-encoding).
    return body[0] === 1 && gzip ? zlib().gunzipSync(message) : message;
  } catch {
    return undefined;
  }
}

function gzipAsync(data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => zlib().gzip(data, (err, out) => (err ? reject(err) : resolve(out))));
}

// node:zlib costs over a MiB to load: only when compression is in use.
function zlib(): typeof zlibTypes {
  return require('node:zlib') as typeof zlibTypes;
}

function decodeMessage(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return 'no message';
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch { /* not percent-encoded */ }
  return foreignText(decoded) || 'no message';
}
