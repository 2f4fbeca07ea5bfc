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
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return { retryable: true, type: code };
  if ((error as Error).name === 'TimeoutError') return { retryable: true, type: 'timeout' };
  return { retryable: false, type: (error as Error).name ?? 'export_failed' };
}
