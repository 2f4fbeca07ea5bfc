import type { Attempt } from '../delivery/attempt';
import { createHttpSender } from '../http/http-sender';
import { reportPartialSuccess, type OtlpTransport, type OtlpTransportOptions, type TransportOutcome } from './otlp-transport-common';

/** Settings for {@link createOtlpHttpTransport}. */
export interface OtlpHttpTransportOptions extends OtlpTransportOptions {
  contentType: 'application/x-protobuf' | 'application/json';
}

/**
 * OTLP/HTTP transport over the shared HTTP sender: moves bytes and reports the classified
 * outcome. It never retries; the retry decorator does, so there is exactly one retry policy.
 * Replaces upstream's transport, whose built-in retry cannot be turned off and which drops the
 * status and Retry-After it saw.
 */
export function createOtlpHttpTransport(options: OtlpHttpTransportOptions): OtlpTransport {
  const sender = createHttpSender({
    url: options.url,
    headers: options.headers,
    compression: options.compression,
    ca: options.ca,
    key: options.key,
    cert: options.cert,
    contentType: options.contentType,
  });
  return {
    async send(data: Uint8Array, attempt: Attempt): Promise<TransportOutcome> {
      const outcome = await sender.send(data, attempt);
      if (!outcome.ok) return outcome;
      reportPartialSuccess(options, outcome.body);
      return { ok: true };
    },
    // Aborts requests still in flight: shutdown happens after the queue stopped waiting for them.
    shutdown: () => sender.shutdown(),
  };
}
