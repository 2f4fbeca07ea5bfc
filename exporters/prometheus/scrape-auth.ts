import type { Log } from '../../core/log';

/** Who may scrape: basic-auth users and/or one bearer token; either one is enough. */
export interface ScrapeAuthOptions {
  /** User name to password, in clear or as a bcrypt hash (`$2a$`, `$2b$`, `$2y$`), as Prometheus' web config takes them. */
  basicAuthUsers?: Readonly<Record<string, string>>;
  /** A token the scraper sends as `Authorization: Bearer <token>`. */
  bearerToken?: string;
}

/** A check's outcome: `busy` when too many bcrypt checks are already running (answer 429). */
export type ScrapeAuthResult = 'ok' | 'denied' | 'busy';

/** Checks one request's `Authorization` header; `challenge` is the WWW-Authenticate for a 401. */
export interface ScrapeAuth {
  check(authorization: string | undefined): Promise<ScrapeAuthResult>;
  readonly challenge: string;
  /** Stops the bcrypt worker, if one was started. */
  close(): void;
}

const BCRYPT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;
// bcrypt costs ~100 ms per check by design; Prometheus scrapes every few seconds with the same
// header, so a verified header is remembered (by its SHA-256, never in clear) for a bounded
// time, as Prometheus' exporter-toolkit does. Only successes: a wrong guess always pays.
const CACHE_LIMIT = 64;
const CACHE_MILLIS = 5 * 60_000;
// bcrypt compares waiting or running at once; past that a scrape gets 429 without any work.
const BCRYPT_IN_FLIGHT = 4;

// node:crypto is required on the first check, not at start-up: a scrape endpoint without auth
// (the default) never needs it, and loading it is about 1.5 MiB of start-up peak RSS (issue 21).
const crypto = () => require('node:crypto') as typeof import('node:crypto');
const digest = (s: string) => crypto().createHash('sha256').update(s).digest();

/** True when `a` equals `b`, in time that does not depend on where they differ. */
function sameSecret(a: string, b: string): boolean {
  return crypto().timingSafeEqual(digest(a), digest(b));
}

// A well-formed hash of nothing anyone knows, at a configured user's cost: an unknown user
// pays the same compare as a known one, so timing does not tell which names exist.
function dummyHash(cost: string): string {
  return `$2b$${cost}$${'N9qo8uLOickgx2ZMRZoMye'}${'IjZAgcfl7p92ldGxad68LJZdL17lhWy'}`;
}

/** Builds the checker, or undefined when no protection is configured. */
export function createScrapeAuth(options: ScrapeAuthOptions, log?: Log): ScrapeAuth | undefined {
  const users = options.basicAuthUsers ?? {};
  const token = options.bearerToken;
  const names = Object.keys(users);
  if (names.length === 0 && !token) return undefined;
  const firstCost = names.map((n) => BCRYPT.exec(users[n]!)?.[1]).find((c) => c !== undefined);
  const unknownHash = firstCost === undefined ? undefined : dummyHash(firstCost);
  // Required only with a bcrypt hash: it stays outside the preload bundle (its worker script sits
  // beside it), and as a separate file it brings its own imports (the api among them) along.
  const verifier = firstCost === undefined ? undefined : new (require('./bcrypt-verifier') as typeof import('./bcrypt-verifier')).BcryptVerifier(BCRYPT_IN_FLIGHT, log);
  const verified = new Map<string, number>();

  const checkBasic = async (encoded: string): Promise<ScrapeAuthResult> => {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return 'denied';
    const key = digest(decoded).toString('hex');
    const at = verified.get(key);
    if (at !== undefined && Date.now() - at < CACHE_MILLIS) return 'ok';
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const expected = Object.hasOwn(users, user) ? users[user]! : undefined;
    const hash = expected !== undefined && BCRYPT.test(expected) ? expected : expected === undefined ? unknownHash : undefined;
    let ok: boolean;
    if (hash !== undefined && verifier) {
      if (verifier.busy) return 'busy';
      ok = (await verifier.compare(password, hash)) && expected !== undefined;
    } else {
      ok = sameSecret(password, expected ?? '\u0000no such user') && expected !== undefined;
    }
    if (!ok) return 'denied';
    if (verified.size >= CACHE_LIMIT) verified.clear();
    verified.set(key, Date.now());
    return 'ok';
  };

  return {
    challenge: names.length > 0 ? 'Basic realm="metrics", charset="UTF-8"' : 'Bearer realm="metrics"',
    async check(authorization) {
      if (!authorization) return 'denied';
      const space = authorization.indexOf(' ');
      const scheme = authorization.slice(0, space).toLowerCase();
      const credentials = authorization.slice(space + 1).trim();
      if (scheme === 'bearer' && token) return sameSecret(credentials, token) ? 'ok' : 'denied';
      if (scheme === 'basic' && names.length > 0) return checkBasic(credentials);
      return 'denied';
    },
    close: () => verifier?.close(),
  };
}
