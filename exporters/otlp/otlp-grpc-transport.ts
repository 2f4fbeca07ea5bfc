import * as http2 from 'node:http2';
import type { Attempt } from '../delivery/attempt';
import { isRetryable } from '../delivery/is-retryable';
import { gunzipSync, gzipAsync } from '../http/gzip';
import { ExportError, isPermanentTransportError, type ExportErrorDetails } from '../delivery/export-error';
import { GRPC_STATUS_NAMES, GrpcStatus, grpcStatusFromHttp } from './grpc-status';
import { retryDelayFromStatusDetails } from '../delivery/retry-info';
import { reportPartialSuccess, type OtlpTransport, type OtlpTransportOptions, type TransportOutcome } from './otlp-transport-common';
import { foreignText } from '../../core/foreign-text';

const PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

/**
 * OTLP/gRPC transport: one unary call per export over node:http2, framed as the gRPC wire
 * protocol says (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md). Written here
 * rather than on @grpc/grpc-js because grpc-js holds a ref'd timer while a call waits for a
 * connection, which kept a finished app alive until the deadline; our session and timers are
 * unref'd, so only the exit flush, with its own bound, ever waits for an export. It keeps no
 * timer: the attempt's signal cancels the call, and its deadline goes out as `grpc-timeout`.
 * It never retries; it reports the status and any google.rpc.RetryInfo to the retry decorator.
 */
export function createOtlpGrpcTransport(options: OtlpTransportOptions): OtlpTransport {
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

  const fail = (message: string, details: Omit<ExportErrorDetails, 'destination'>): TransportOutcome => ({ ok: false, error: new ExportError(message, { ...details, destination }) });
  let stopped = false;

  return {
    async send(data: Uint8Array, attempt: Attempt): Promise<TransportOutcome> {
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

        let stream: http2.ClientHttp2Stream | undefined;
        let settled = false;
        let responseHeaders: http2.IncomingHttpHeaders = {};
        let responseTrailers: http2.IncomingHttpHeaders = {};
        const chunks: Buffer[] = [];
        const finish = (response: TransportOutcome) => {
          if (settled) return;
          settled = true;
          attempt.signal.removeEventListener('abort', onAbort);
          if (stream) inFlight.delete(stream);
          resolve(response);
        };
        // The timeout layer already failed the attempt; this only cancels the call.
        const onAbort = (): void => {
          stream?.close(http2.constants.NGHTTP2_CANCEL);
          finish(fail('gRPC CANCELLED: the attempt ended', { retryable: true, type: 'timeout' }));
        };
        if (attempt.signal.aborted) return onAbort();
        attempt.signal.addEventListener('abort', onAbort, { once: true });
        const timeoutMillis = Math.max(1, Math.ceil(attempt.deadline - Date.now()));

        try {
          stream = connect().request({
            ...options.headers,
            ':method': 'POST',
            ':path': PATH,
            'content-type': 'application/grpc',
            te: 'trailers',
            ...(Number.isFinite(timeoutMillis) ? { 'grpc-timeout': grpcTimeout(timeoutMillis) } : {}),
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
          if (stopped) return finish(fail('exporter shut down', { retryable: false, type: 'shutdown' }));
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
      stopped = true;
      for (const stream of inFlight) stream.close(http2.constants.NGHTTP2_CANCEL);
      session?.close();
      session = undefined;
    },
  };

  function outcome(headers: http2.IncomingHttpHeaders, trailers: http2.IncomingHttpHeaders, body: Buffer): TransportOutcome {
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
      return { ok: true };
    }
    const details = trailers['grpc-status-details-bin'] ?? headers['grpc-status-details-bin'];
    const retryAfterMillis = typeof details === 'string' ? retryDelayFromStatusDetails(Buffer.from(details, 'base64')) : undefined;
    return failure(code, decodeMessage(trailers['grpc-message'] ?? headers['grpc-message']), retryAfterMillis);
  }

  function failure(code: number, message: string, retryAfterMillis: number | undefined): TransportOutcome {
    const type = GRPC_STATUS_NAMES[code] ?? String(code);
    const retryable = isRetryable({ grpcStatus: code, retryInfo: retryAfterMillis !== undefined });
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
    return body[0] === 1 && gzip ? gunzipSync(message) : message;
  } catch {
    return undefined;
  }
}

// TimeoutValue is at most 8 digits: milliseconds, or whole seconds past that.
function grpcTimeout(millis: number): string {
  return millis <= 99_999_999 ? `${millis}m` : `${Math.min(99_999_999, Math.ceil(millis / 1000))}S`;
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
