import { type ExportErrorDetails } from '../../exporters/delivery/export-error';
import { describeCause } from '../../exporters/delivery/describe-cause';
import { describeTlsError } from './tls-meaning';
import { GRPC_STATUS_NAMES } from '../../exporters/otlp/grpc-status';

const HTTP: Record<number, string> = {
  400: 'the receiver could not read the request (wrong encoding for this endpoint, or a proxy in the way)',
  401: 'authentication failed: a required header (token) is missing or wrong; check OTEL_EXPORTER_OTLP_HEADERS',
  403: 'authentication failed: the credentials are not allowed to write here; check OTEL_EXPORTER_OTLP_HEADERS',
  404: 'no OTLP metrics endpoint at this path: a full URL in OTEL_EXPORTER_OTLP_METRICS_ENDPOINT must end in /v1/metrics',
  405: 'this URL does not accept POST: the path is wrong',
  413: 'the request is too large for the receiver',
  415: 'the receiver does not accept this content type: try the other OTLP/HTTP encoding (http/protobuf or http/json)',
  429: 'the receiver is throttling: too many requests',
  500: 'the receiver failed internally',
  502: 'a proxy could not reach the receiver behind it',
  503: 'the receiver is unavailable (overloaded or starting)',
  504: 'a proxy timed out waiting for the receiver',
};

const GRPC: Record<string, string> = {
  UNAUTHENTICATED: 'authentication failed: a required header (token) is missing or wrong; check OTEL_EXPORTER_OTLP_HEADERS',
  PERMISSION_DENIED: 'authentication failed: the credentials are not allowed to write here',
  UNIMPLEMENTED: 'the server does not offer the OTLP metrics service (a traces-only endpoint, or not a collector)',
  UNAVAILABLE: 'the receiver is unavailable, or the connection failed',
  RESOURCE_EXHAUSTED: 'the receiver is out of capacity or throttling',
  INVALID_ARGUMENT: 'the receiver rejected the data as invalid',
  DEADLINE_EXCEEDED: 'no answer in time',
  INTERNAL: 'the receiver failed internally, or the answer was not gRPC (an HTTP proxy?)',
  UNKNOWN: 'the server answered without a known gRPC status (a proxy?)',
};

/** True for answers that mean the credentials are wrong. */
export function isAuthFailure(d: ExportErrorDetails): boolean {
  return d.httpStatus === 401 || d.httpStatus === 403 || d.grpcStatus === 16 || d.grpcStatus === 7;
}

/**
 * A failed export in words: the cause as the pipeline's own log line names it (`HTTP 401`,
 * `gRPC UNAUTHENTICATED`, `connection refused`, `TLS: certificate expired`), what it means,
 * and what the pipeline would do with the batch.
 */
export function describeExportFailure(d: ExportErrorDetails, error: unknown): string {
  const cause = describeCause(error);
  const message = error instanceof Error ? error.message : '';
  let meaning: string;
  if (d.grpcStatus !== undefined) {
    const name = GRPC_STATUS_NAMES[d.grpcStatus] ?? String(d.grpcStatus);
    const said = message.replace(/^gRPC [A-Z_]+: /, '');
    meaning = `(${d.grpcStatus}): ${GRPC[name] ?? said}${GRPC[name] && said ? ` [the server said: ${said}]` : ''}`;
  } else if (d.httpStatus !== undefined) {
    meaning = HTTP[d.httpStatus] ?? message;
  } else {
    // OpenSSL's messages run over several lines of library internals; the code says it better.
    const firstLine = message.split('\n')[0]!.replace(/[0-9A-F]{8,}:error:[0-9A-F]+:[^:]*:[^:]*:/g, '').replace(/:\.\.\/deps\/openssl\S*/g, '');
    meaning = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|ERR_OSSL/.test(d.type) ? describeTlsError(d.type, firstLine) : `${firstLine} (${d.type})`;
  }
  const fate = d.retryable
    ? `the pipeline would retry it${d.retryAfterMillis !== undefined ? ` after ${d.retryAfterMillis} ms as asked` : ''} (temporary)`
    : 'the pipeline would drop it without retrying (permanent until the cause is fixed)';
  return `${cause}${d.grpcStatus !== undefined ? ' ' : ': '}${meaning}; ${fate}`;
}
