import { isRetryable, isRetryableSocketCode } from './is-retryable';
import { retryDelayFromStatusDetails } from './retry-info';

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
  if (typeof code === 'string' && isRetryableSocketCode(code)) return { retryable: true, type: code };
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

/**
 * Upstream's OTLP exporters (`@opentelemetry/exporter-metrics-otlp-*`) fail three ways: an
 * OTLPExporterError with the HTTP status as `code`; one with no code once their own retry gave
 * up on a retryable status ("Export failed with retryable status"); and @grpc/grpc-js's
 * ServiceError, whose numeric `code` is the gRPC status.
 */
function fromUpstream(error: unknown): ExportErrorDetails | undefined {
  const e = error as { name?: unknown; code?: unknown; message?: unknown; metadata?: unknown };
  if (e.name === 'OTLPExporterError') {
    if (typeof e.code === 'number') return { retryable: isRetryable({ httpStatus: e.code }), type: String(e.code), httpStatus: e.code };
    if (typeof e.message === 'string' && /retryable status/.test(e.message)) return { retryable: true, type: 'retryable_status' };
    return undefined;
  }
  if (typeof e.code === 'number' && e.metadata !== undefined && e.code < 100) {
    const retryAfterMillis = retryInfoOf(e.metadata);
    return { retryable: isRetryable({ grpcStatus: e.code, retryInfo: retryAfterMillis !== undefined }), type: `grpc_${e.code}`, grpcStatus: e.code, retryAfterMillis };
  }
  return undefined;
}

// grpc-js keeps the status details trailer in the error's metadata.
function retryInfoOf(metadata: unknown): number | undefined {
  const details = (metadata as { get?: (key: string) => unknown[] }).get?.('grpc-status-details-bin')?.[0];
  return details instanceof Uint8Array ? retryDelayFromStatusDetails(details) : undefined;
}

