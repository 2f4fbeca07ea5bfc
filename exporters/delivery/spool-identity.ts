import { createHash } from 'node:crypto';

/** What names a destination for the spool: which batches on disk are this process's to send. */
export interface DestinationIdentityParts {
  /** Exporter name, e.g. `otlp`. */
  exporter: string;
  /** Where it sends, without userinfo or query (they may hold credentials). */
  endpoint: string;
  /** Other settings that change where or how data lands (protocol, tenant header names, bucket…), never credentials. */
  settings?: Readonly<Record<string, unknown>>;
}

/**
 * A short hex identity of a destination, recorded in every spooled batch: a process replays only
 * batches whose identity is one of its own destinations, so a spool directory shared by two
 * services never sends one's points to the other's collector. A hash, so the file shows no
 * endpoint or setting in clear.
 */
export function destinationIdentity(parts: DestinationIdentityParts): string {
  const settings = parts.settings ? Object.fromEntries(Object.entries(parts.settings).sort(([a], [b]) => a.localeCompare(b))) : {};
  const text = JSON.stringify([parts.exporter, stripCredentials(parts.endpoint), settings]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

// Userinfo (up to the last `@`) and the query go; the rest names the destination.
function stripCredentials(endpoint: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(endpoint)?.[0] ?? '';
  let rest = endpoint.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at >= 0) rest = rest.slice(at + 1);
  const q = rest.search(/[?#]/);
  return scheme.toLowerCase() + (q < 0 ? rest : rest.slice(0, q));
}
