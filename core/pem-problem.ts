import type * as cryptoTypes from 'node:crypto';

/** What a PEM file is meant to hold: trusted CAs, a client certificate chain, or a client private key. */
export type PemKind = 'ca' | 'cert' | 'key';

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Why `data` is unusable as `kind`, as a short phrase (never the file's content), or
 * `undefined` when OpenSSL can parse it. Run at start-up so garbage is one line then, not a
 * failed TLS handshake on every export. node:crypto loads only when a TLS file is configured.
 */
export function pemProblem(kind: PemKind, data: Buffer): string | undefined {
  const crypto = require('node:crypto') as typeof cryptoTypes;
  if (kind === 'key') {
    // Checked before OpenSSL sees it: there is no passphrase to give it (and no prompt to ask one).
    if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(data.toString('latin1'))) return 'the key is encrypted (a passphrase is not supported)';
    try {
      crypto.createPrivateKey(data);
      return undefined;
    } catch {
      return 'no usable PEM private key in it';
    }
  }
  const blocks = data.toString('latin1').match(CERT_BLOCK);
  if (!blocks) return 'no PEM certificate in it';
  for (const [i, block] of blocks.entries()) {
    try {
      new crypto.X509Certificate(block);
    } catch {
      return `certificate ${i + 1} of ${blocks.length} in it does not parse`;
    }
  }
  return undefined;
}

/** True when the private key belongs to the first certificate of the chain (both already checked). */
export function keyMatchesCert(key: Buffer, cert: Buffer): boolean {
  const crypto = require('node:crypto') as typeof cryptoTypes;
  try {
    const first = cert.toString('latin1').match(CERT_BLOCK)?.[0];
    return first !== undefined && new crypto.X509Certificate(first).checkPrivateKey(crypto.createPrivateKey(key));
  } catch {
    return false;
  }
}
