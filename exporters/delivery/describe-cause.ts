import { classifyError } from './export-error';

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
