/** Which transport's header rules apply: HTTP/1.1, or HTTP/2 carrying gRPC metadata. */
export type HeaderRules = 'http' | 'grpc';

// RFC 9110 token characters: what Node's http.validateHeaderName accepts.
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;
// What Node's http.validateHeaderValue accepts: tab, visible Latin-1, no CR/LF/NUL.
const HTTP_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
// gRPC metadata values are printable ASCII unless the key ends in -bin (gRPC over HTTP/2 spec).
const GRPC_VALUE = /^[\x20-\x7e]*$/;
// Connection-specific headers HTTP/2 forbids (RFC 9113 §8.2.2); node:http2 throws on them.
const HTTP2_FORBIDDEN = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'http2-settings', 'host', 'te']);

/** Longest header value we send, in bytes: servers refuse more (Node's own limit is 16 KiB for all headers together). */
export const MAX_HEADER_VALUE_BYTES = 8 * 1024;

/**
 * Why HTTP (or HTTP/2 for gRPC) would refuse this header, as a phrase that never contains the
 * value; `undefined` when it is sendable. Checked at start-up so a bad entry costs one line and
 * that entry, not every batch.
 */
export function headerProblem(name: string, value: string, rules: HeaderRules = 'http'): string | undefined {
  if (!TOKEN.test(name)) return 'its name is not a valid HTTP header name (letters, digits and !#$%&\'*+.^_`|~- only)';
  // Named here (a valid token, not a value): without this every request is reset, with no line at all.
  const bytes = Buffer.byteLength(value);
  if (bytes > MAX_HEADER_VALUE_BYTES) return `the value of header ${JSON.stringify(name.toLowerCase())} is ${bytes} bytes, over the ${MAX_HEADER_VALUE_BYTES}-byte limit servers accept`;
  if (rules === 'grpc') {
    const lower = name.toLowerCase();
    if (HTTP2_FORBIDDEN.has(lower)) return 'its name is a connection-specific header that HTTP/2 forbids';
    if (lower.startsWith('grpc-')) return 'its name is reserved by gRPC';
    if (lower.endsWith('-bin') ? !HTTP_VALUE.test(value) : !GRPC_VALUE.test(value)) return 'its value holds a control character or a character outside printable ASCII, which gRPC metadata forbids';
    return undefined;
  }
  if (!HTTP_VALUE.test(value)) return 'its value holds CR, LF, another control character or a character outside Latin-1';
  return undefined;
}
