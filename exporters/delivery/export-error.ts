/** Why an export failed, in the terms the retry policy needs. */
export interface ExportErrorDetails {
  /** Where the data was going, e.g. `otlp http://collector:4318/v1/metrics`; never holds credentials. */
  destination?: string;
  /** True when the OTLP spec says the same request may succeed later. */
  retryable: boolean;
  /** Server-requested delay (HTTP Retry-After, gRPC RetryInfo), in ms. */
  retryAfterMillis?: number;
  /** HTTP status code, when there was a response. */
  httpStatus?: number;
  /** gRPC status code, when the call completed with one. */
  grpcStatus?: number;
  /** Short stable reason for `error.type`, e.g. `503`, `UNAVAILABLE`, `ECONNREFUSED`, `timeout`. */
  type: string;
}

/** A failed export, classified. Transports return it; decorators read it. */
export class ExportError extends Error implements ExportErrorDetails {
  override readonly name = 'ExportError';
  readonly destination?: string;
  readonly retryable: boolean;
  readonly retryAfterMillis?: number;
  readonly httpStatus?: number;
  readonly grpcStatus?: number;
  readonly type: string;

  constructor(message: string, details: ExportErrorDetails) {
    super(message);
    Object.assign(this, details);
    this.retryable = details.retryable;
    this.type = details.type;
  }
}

// Errors a socket can hit where a later attempt may well succeed.
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Classifies any exporter's failure. Our transports return ExportError; for other exporters a
 * socket error code is retryable, a failure without any error is retryable (nothing says it is
 * permanent), and anything else is not.
 */
export function classifyError(error: unknown): ExportErrorDetails {
  if (error instanceof ExportError) return error;
  if (error === undefined || error === null) return { retryable: true, type: 'export_failed' };
  const upstream = fromUpstream(error);
  if (upstream) return upstream;
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return { retryable: true, type: code };
  if ((error as Error).name === 'TimeoutError') return { retryable: true, type: 'timeout' };
  return { retryable: false, type: (error as Error).name ?? 'export_failed' };
}

// Fixing the configuration is the only cure for these: TLS verification and key errors, and
// header names or values that HTTP or HTTP/2 refuse.
const PERMANENT_TRANSPORT_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|ERR_OSSL|ERR_INVALID_HTTP_TOKEN|ERR_INVALID_CHAR|ERR_HTTP2_INVALID|ERR_INVALID_ARG/;

/** True when a socket or request error code (from node:http, https, http2 or tls) cannot be cured by retrying. */
export function isPermanentTransportError(code: string | undefined): boolean {
  return code !== undefined && PERMANENT_TRANSPORT_CODES.test(code);
}

// OTLP spec retry sets: HTTP 429/502/503/504; gRPC CANCELLED(1), DEADLINE_EXCEEDED(4),
// ABORTED(10), OUT_OF_RANGE(11), UNAVAILABLE(14), DATA_LOSS(15).
const RETRYABLE_HTTP = new Set([429, 502, 503, 504]);
const RETRYABLE_GRPC = new Set([1, 4, 10, 11, 14, 15]);

/**
 * Upstream's OTLP exporters (`@opentelemetry/exporter-metrics-otlp-*`) fail three ways: an
 * OTLPExporterError with the HTTP status as `code`; one with no code once their own retry gave
 * up on a retryable status ("Export failed with retryable status"); and @grpc/grpc-js's
 * ServiceError, whose numeric `code` is the gRPC status.
 */
function fromUpstream(error: unknown): ExportErrorDetails | undefined {
  const e = error as { name?: unknown; code?: unknown; message?: unknown; metadata?: unknown };
  if (e.name === 'OTLPExporterError') {
    if (typeof e.code === 'number') return { retryable: RETRYABLE_HTTP.has(e.code), type: String(e.code), httpStatus: e.code };
    if (typeof e.message === 'string' && /retryable status/.test(e.message)) return { retryable: true, type: 'retryable_status' };
    return undefined;
  }
  if (typeof e.code === 'number' && e.metadata !== undefined && e.code < 100) {
    return { retryable: RETRYABLE_GRPC.has(e.code), type: `grpc_${e.code}`, grpcStatus: e.code };
  }
  return undefined;
}

// Node's and OpenSSL's codes, in the words a person searching for the problem would use.
const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: certificate not trusted (unknown CA)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS: certificate not trusted (unknown CA)',
  CERT_HAS_EXPIRED: 'TLS: certificate expired',
  CERT_NOT_YET_VALID: 'TLS: certificate not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate does not match the host name',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'TLS: the server requires a client certificate (mTLS: set CLIENT_KEY and CLIENT_CERTIFICATE)',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'TLS: handshake refused by the server (a client certificate may be required)',
  ERR_INVALID_HTTP_TOKEN: 'invalid header name',
  ERR_INVALID_CHAR: 'invalid character in a header value',
  ERR_HTTP2_INVALID_HEADER_VALUE: 'invalid header value',
  ERR_HTTP2_INVALID_CONNECTION_HEADERS: 'a header not allowed over HTTP/2',
  timeout: 'no answer in time',
};

/**
 * The cause of a failure in a few words for the log line: `connection refused`, `DNS lookup
 * failed`, `TLS: self-signed certificate`, `HTTP 503`, `gRPC UNAVAILABLE`, … Never includes
 * header values or credentials (the messages it may echo come from our own transports).
 */
export function describeCause(error: unknown): string {
  const details = classifyError(error);
  if (details.httpStatus !== undefined) {
    // 301/302/303 are not followed (307/308 are, once): the configured URL is out of date.
    return details.httpStatus >= 300 && details.httpStatus < 400 ? `HTTP ${details.httpStatus}: the endpoint moved; fix the configured URL` : `HTTP ${details.httpStatus}`;
  }
  if (details.grpcStatus !== undefined) return `gRPC ${details.type.startsWith('grpc_') ? details.grpcStatus : details.type}`;
  const known = CAUSES[details.type];
  if (details.type === 'timeout') return (error as Error)?.message ?? known!;
  if (known) return known;
  if (/^ERR_OSSL|BAD_DECRYPT|KEY_VALUES_MISMATCH/.test(details.type)) return 'TLS: unusable client key or certificate';
  if (/CERT|SSL|TLS/.test(details.type)) return `TLS: ${details.type}`;
  const message = error instanceof Error ? error.message.split('\n')[0] : undefined;
  return message ? `${message} (${details.type})` : details.type;
}
