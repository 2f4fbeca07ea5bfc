import * as http from 'node:http';
import type { DashboardFeed } from './dashboard-feed';
import type { MetricStore } from './metric-store';
import { overviewPayload } from './overview-payload';
import type { PageAsset } from './page-assets';
import type { PageAuth } from './page-auth';

// The page runs only our own script and style; nothing from elsewhere, no framing.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The dashboard page: `/login?t=TOKEN` sets the cookie and redirects to `/`; `/` and its files;
 * `/api/events?metric=NAME` (server-sent events); `/api/overview` (one JSON overview). Anything
 * without the token is 401.
 */
export function createPageServer(auth: PageAuth, assets: Map<string, PageAsset>, store: MetricStore, feed: DashboardFeed): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'GET only\n');
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    if (url.pathname === '/login') {
      if (auth.anonymous || !auth.matches(url.searchParams.get('t'))) return text(res, 401, 'This login link is not valid: use the one the dashboard printed.\n');
      res.writeHead(302, { location: '/', 'set-cookie': auth.cookieHeader(), 'cache-control': 'no-store', ...SECURITY_HEADERS });
      return res.end();
    }
    if (!auth.allows(req)) return text(res, 401, 'Log in with the URL the dashboard printed at start (it carries the token).\n');
    if (url.pathname === '/api/events') return feed.add(res, url.searchParams.get('metric') ?? undefined);
    if (url.pathname === '/api/overview') {
      const body = JSON.stringify(overviewPayload(store, Date.now()));
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...SECURITY_HEADERS });
      return res.end(body);
    }
    const asset = assets.get(url.pathname);
    if (!asset) return text(res, 404, 'not found\n');
    res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  });
}

function text(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
  res.end(body);
}
