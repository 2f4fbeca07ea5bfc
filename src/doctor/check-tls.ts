import type * as net from 'node:net';
import * as tls from 'node:tls';
import { isIP } from 'node:net';
import { Budget, OutOfTime } from './budget';
import type { Check } from './doctor-report';
import { describeTlsError } from './tls-meaning';

/** TLS material the exporter would use, and the ALPN protocols to offer (`h2` for gRPC, `http/1.1` for HTTP). */
export interface TlsProbeOptions {
  host: string;
  ca?: Buffer;
  key?: Buffer;
  cert?: Buffer;
  alpn: string[];
}

/**
 * A TLS handshake over `socket` with the exporter's CA and client certificate. Verification is
 * done but not enforced here, so an untrusted or expired certificate can still be described
 * (subject, issuer, expiry, why the CA does not verify); the real export enforces it.
 */
export async function checkTls(socket: net.Socket, o: TlsProbeOptions, budget: Budget): Promise<{ check: Check; socket?: tls.TLSSocket }> {
  const started = Date.now();
  const secure = tls.connect({
    socket,
    host: o.host,
    // SNI takes a name only; an address as servername is deprecated.
    ...(isIP(o.host) ? {} : { servername: o.host }),
    ca: o.ca,
    key: o.key,
    cert: o.cert,
    ALPNProtocols: o.alpn,
    rejectUnauthorized: false,
  });
  try {
    await budget.race(new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    }));
  } catch (err) {
    secure.destroy();
    const code = err instanceof OutOfTime ? 'timeout' : (err as NodeJS.ErrnoException).code ?? 'error';
    // No common ALPN protocol: the port speaks the other OTLP transport.
    const meaning = /NO_APPLICATION_PROTOCOL/.test(code)
      ? (o.alpn.includes('h2')
        ? 'the server does not offer HTTP/2 over TLS (ALPN), which gRPC needs: gRPC sent to an HTTP port? set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, or use the OTLP/gRPC port (usually 4317)'
        : 'the server does not offer HTTP/1.1 over TLS (ALPN): HTTP sent to a gRPC port? set OTEL_EXPORTER_OTLP_PROTOCOL=grpc, or use the OTLP/HTTP port (usually 4318)')
      : describeTlsError(code, (err as Error).message);
    const detail = `handshake failed (${code}): ${meaning}`;
    return { check: { name: 'tls', status: 'fail', detail, millis: Date.now() - started, data: { error: code } } };
  }
  secure.removeAllListeners('error');
  // Errors after the handshake (an mTLS alert) are read by the protocol probe.
  secure.on('error', () => {});
  const cert = secure.getPeerCertificate();
  const validTo = cert.valid_to ? new Date(cert.valid_to) : undefined;
  const daysLeft = validTo ? Math.floor((validTo.getTime() - Date.now()) / 86_400_000) : undefined;
  const data = {
    protocol: secure.getProtocol(),
    alpn: secure.alpnProtocol || null,
    subject: name(cert.subject),
    subjectAltName: cert.subjectaltname ?? null,
    issuer: name(cert.issuer),
    validFrom: cert.valid_from ? new Date(cert.valid_from).toISOString() : null,
    validTo: validTo?.toISOString() ?? null,
    daysLeft: daysLeft ?? null,
    verified: secure.authorized,
    verifyError: secure.authorized ? null : String(secure.authorizationError ?? 'unknown'),
  };
  const expiry = validTo ? `expires ${validTo.toISOString().slice(0, 10)} (${daysLeft! < 0 ? `expired ${-daysLeft!} day(s) ago` : `in ${daysLeft} day(s)`})` : 'no expiry date';
  const facts = `${data.protocol}, subject ${data.subject}${data.subjectAltName ? ` (${data.subjectAltName})` : ''}, issued by ${data.issuer}, ${expiry}`;
  const status = !secure.authorized ? 'fail' : daysLeft !== undefined && daysLeft < 14 ? 'warn' : 'ok';
  const verdict = secure.authorized
    ? `the CA verifies${status === 'warn' ? '; renew it soon' : ''}`
    : `the CA does not verify (${data.verifyError}): ${describeTlsError(data.verifyError!, '')}`;
  return { check: { name: 'tls', status, detail: `${facts}; ${verdict}`, millis: Date.now() - started, data }, socket: secure };
}

function name(dn: tls.Certificate | undefined): string {
  if (!dn) return 'unknown';
  const parts = Object.entries(dn).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`);
  return parts.length ? parts.join(', ') : 'empty';
}
