// What to do about each TLS failure, by OpenSSL verification code or Node error code.
const MEANINGS: Array<[RegExp, string]> = [
  [/CERT_HAS_EXPIRED/, 'the server certificate has expired: the server must renew it'],
  [/CERT_NOT_YET_VALID/, 'the server certificate is not valid yet: check the clocks'],
  [/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT/, 'the certificate is not signed by a CA we trust: set OTEL_EXPORTER_OTLP_CERTIFICATE to the PEM file of its CA'],
  [/ALTNAME|HOSTNAME|IP.*not in the cert/i, 'the certificate is for another name: use the host name it was issued for in the endpoint'],
  [/CERTIFICATE_REQUIRED|certificate required/i, 'the server requires a client certificate (mTLS) and none was sent: set OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY'],
  [/BAD_CERTIFICATE|UNKNOWN_CA|bad certificate|unknown ca/i, 'the server refused our client certificate: it is not signed by a CA the server trusts'],
  [/WRONG_VERSION_NUMBER|wrong version number|packet length too long|EPROTO/, 'the server does not speak TLS on this port (a plaintext port?): use http:// (gRPC: or OTEL_EXPORTER_OTLP_INSECURE=true)'],
  [/NO_APPLICATION_PROTOCOL|no application protocol/i, 'the server offers none of the protocols we need over TLS (ALPN): an HTTP port when gRPC is configured, or the reverse'],
  [/ECONNRESET|socket hang up/i, 'the server closed the connection during the handshake'],
  [/timeout/, "no answer within the check's time"],
];

/** A short explanation of a TLS failure with what to change, or `message` when it is not recognised. */
export function describeTlsError(code: string, message: string): string {
  const text = `${code} ${message}`;
  for (const [pattern, meaning] of MEANINGS) if (pattern.test(text)) return meaning;
  return message || code;
}
