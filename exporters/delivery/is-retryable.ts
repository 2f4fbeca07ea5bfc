/**
 * What the OTLP spec says may succeed if sent again
 * (https://opentelemetry.io/docs/specs/otlp/#failures, #retryable-response-codes), for both
 * transports and for upstream exporters' errors: one table, one function.
 */
export interface RetryQuestion {
  /** HTTP status of the answer, if it was HTTP. */
  httpStatus?: number;
  /** gRPC status code, if it was gRPC. */
  grpcStatus?: number;
  /** True when a gRPC answer carried google.rpc.RetryInfo. */
  retryInfo?: boolean;
}

// HTTP 429/502/503/504.
const HTTP = new Set([429, 502, 503, 504]);
// gRPC CANCELLED(1), DEADLINE_EXCEEDED(4), ABORTED(10), OUT_OF_RANGE(11), UNAVAILABLE(14), DATA_LOSS(15).
const GRPC = new Set([1, 4, 10, 11, 14, 15]);
const RESOURCE_EXHAUSTED = 8;

/** True when the spec allows retrying: RESOURCE_EXHAUSTED only when the server sent RetryInfo. */
export function isRetryable(q: RetryQuestion): boolean {
  if (q.grpcStatus !== undefined) return GRPC.has(q.grpcStatus) || (q.grpcStatus === RESOURCE_EXHAUSTED && q.retryInfo === true);
  return q.httpStatus !== undefined && HTTP.has(q.httpStatus);
}

/** Shorthand for an HTTP answer. */
export function isRetryableHttpStatus(status: number): boolean {
  return isRetryable({ httpStatus: status });
}

// Nobody is there to answer: no listener, no such host, no route.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// Errors a socket can hit where a later attempt may well succeed: the unreachable ones and these.
const TRANSIENT = new Set([...UNREACHABLE, 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENETDOWN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** True when a socket error `code` from an exporter that is not ours (no ExportError) may succeed if tried again. */
export function isRetryableSocketCode(code: string): boolean {
  return TRANSIENT.has(code);
}

/**
 * True when a retryable failure means nothing is listening at the destination (as opposed to
 * a server that answered "try again", or one that did not answer in time). At exit such a
 * failure is not retried: a missing collector must not make every process exit take its
 * whole budget, while a throttling or restarting one is retried within it.
 */
export function isUnreachable(type: string): boolean {
  return UNREACHABLE.has(type);
}
