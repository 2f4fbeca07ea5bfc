import { createHash, timingSafeEqual } from 'node:crypto';

/** Who may scrape: basic-auth users and/or one bearer token; either one is enough. */
export interface ScrapeAuthOptions {
  /** User name to password, in clear or as a bcrypt hash (`$2a$`, `$2b$`, `$2y$`), as Prometheus' web config takes them. */
  basicAuthUsers?: Readonly<Record<string, string>>;
  /** A token the scraper sends as `Authorization: Bearer <token>`. */
  bearerToken?: string;
}

/** Checks one request's `Authorization` header; `challenge` is the WWW-Authenticate for a 401. */
export interface ScrapeAuth {
  check(authorization: string | undefined): Promise<boolean>;
  readonly challenge: string;
}

const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
// bcrypt costs tens of milliseconds per check by design; Prometheus scrapes every few seconds
// with the same header, so a verified header is remembered (by its SHA-256, never in clear).
const CACHE_LIMIT = 64;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** True when `a` equals `b`, in time that does not depend on where they differ. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Builds the checker, or undefined when no protection is configured. */
export function createScrapeAuth(options: ScrapeAuthOptions): ScrapeAuth | undefined {
  const users = options.basicAuthUsers ?? {};
  const token = options.bearerToken;
  if (Object.keys(users).length === 0 && !token) return undefined;
  const verified = new Set<string>();
  const checkBasic = async (encoded: string): Promise<boolean> => {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const key = digest(decoded).toString('hex');
    if (verified.has(key)) return true;
    const expected = Object.hasOwn(users, user) ? users[user]! : undefined;
    let ok: boolean;
    if (expected !== undefined && BCRYPT.test(expected)) {
      const bcrypt = require('bcryptjs') as typeof import('bcryptjs');
      ok = await bcrypt.compare(password, expected);
    } else {
      // Compare against something even for an unknown user, so timing does not tell who exists.
      ok = sameSecret(password, expected ?? '\u0000no such user') && expected !== undefined;
    }
    if (ok) {
      if (verified.size >= CACHE_LIMIT) verified.clear();
      verified.add(key);
    }
    return ok;
  };
  return {
    challenge: Object.keys(users).length > 0 ? 'Basic realm="metrics", charset="UTF-8"' : 'Bearer realm="metrics"',
    async check(authorization) {
      if (!authorization) return false;
      const space = authorization.indexOf(' ');
      const scheme = authorization.slice(0, space).toLowerCase();
      const credentials = authorization.slice(space + 1).trim();
      if (scheme === 'bearer' && token) return sameSecret(credentials, token);
      if (scheme === 'basic' && Object.keys(users).length > 0) return checkBasic(credentials);
      return false;
    },
  };
}
