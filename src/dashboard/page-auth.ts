import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const COOKIE = 'omp_dashboard_token';

/**
 * The page's login, as the Aspire dashboard does it: a random token printed once in a login
 * URL; opening it sets an HttpOnly, SameSite=Strict cookie; every other request needs the
 * cookie (or `Authorization: Bearer <token>`), else 401. Anonymous mode needs neither, but then
 * the Host header must name a loopback address, so a page on another site cannot reach the
 * dashboard through DNS rebinding.
 */
export class PageAuth {
  private readonly token: Buffer | undefined;

  constructor(anonymous: boolean) {
    this.token = anonymous ? undefined : Buffer.from(randomBytes(24).toString('base64url'));
  }

  /** True when no token is asked for. */
  get anonymous(): boolean {
    return this.token === undefined;
  }

  /** The URL that logs in (carries the token), for the start-up line. */
  loginUrl(base: string): string {
    return this.token ? `${base}/login?t=${this.token.toString()}` : `${base}/`;
  }

  /** Whether `candidate` is the token. */
  matches(candidate: string | undefined | null): boolean {
    if (!this.token) return true;
    const given = Buffer.from(candidate ?? '');
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }

  /** Whether the request may see the page or its data. */
  allows(req: IncomingMessage): boolean {
    if (!this.token) return loopbackHost(req.headers.host);
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && this.matches(auth.slice(7))) return true;
    return this.matches(cookie(req.headers.cookie));
  }

  /** The Set-Cookie header for a good login. */
  cookieHeader(): string {
    return `${COOKIE}=${this.token?.toString() ?? ''}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function cookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

function loopbackHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}
