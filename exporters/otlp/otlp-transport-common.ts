import type { Attempt } from '../delivery/attempt';
import type { ExportError } from '../delivery/export-error';
import { foreignText } from '../../core/foreign-text';

// What the HTTP and gRPC transports share: their settings and how they report outcomes.

/** What both OTLP transports (HTTP and gRPC) are built from. */
export interface OtlpTransportOptions {
  /** HTTP: the full URL; gRPC: `http(s)://host:port`. */
  url: string;
  /** Request headers or gRPC metadata; never logged. */
  headers: Record<string, string>;
  compression: 'gzip' | 'none';
  /** PEM trust roots, client key and client certificate chain. */
  ca?: Buffer;
  key?: Buffer;
  cert?: Buffer;
  /** Called with the number of points a successful answer says were rejected (OTLP partial success). */
  onPartialSuccess?: (rejected: number, message: string) => void;
  /** Decodes a successful answer's body into `{ partialSuccess }`. */
  decodeResponse?: (body: Uint8Array) => { partialSuccess?: { rejectedDataPoints?: number | string; errorMessage?: string } };
}

/**
 * Reports an OTLP partial success found in a successful answer. Partial success is not retried
 * (spec), so counting and reporting it is all there is to do; an undecodable body is still a success.
 */
export function reportPartialSuccess(options: OtlpTransportOptions, body: Uint8Array | undefined): void {
  if (!options.onPartialSuccess || !options.decodeResponse || !body || body.length === 0) return;
  try {
    const partial = options.decodeResponse(body).partialSuccess;
    // The collector's count and words are data, not trusted: a count that is no whole number
    // >= 0 counts as 0 (the exporter clamps it to what was sent), the message is cut and cleaned.
    const n = Number(partial?.rejectedDataPoints ?? 0);
    const rejected = Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
    const message = foreignText(partial?.errorMessage);
    if (rejected > 0 || message) options.onPartialSuccess(rejected, message);
  } catch {
    /* still a success */
  }
}

/** How one send ended: delivered, or failed with a classified error. */
export type TransportOutcome = { ok: true } | { ok: false; error: ExportError };

/** Moves one serialized request to the destination; never throws, never retries. */
export interface OtlpTransport {
  /** Sends `data`; stops, and resolves, when the attempt's signal aborts. */
  send(data: Uint8Array, attempt: Attempt): Promise<TransportOutcome>;
  /** Cancels sends in flight and closes connections. */
  shutdown(): void;
}
