import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../helpers/chromium';
import { freePort } from '../helpers/free-port';
import { havePeer } from '../helpers/peers';
import { childEnv, fixture, ROOT, startApp, type RunningApp } from '../helpers/spawn-app';

const EXPORT_INTERVAL_MILLIS = 2000;
const COUNT_TO = 40;
const FANOUT_SERIES = 2000;

/** The dashboard command as a user runs it, on ports of its own; resolves with its login URL. */
async function startDashboardCommand(ports: { page: number; http: number; grpc: number }): Promise<{ child: ChildProcess; loginUrl: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/cli.js'), 'dashboard', '--port', String(ports.page), '--otlp-http-port', String(ports.http), '--otlp-grpc-port', String(ports.grpc)], {
    env: childEnv({}), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const loginUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no login URL in 15 s: ${out}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /Login: +(\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    child.stderr!.on('data', (d: Buffer) => { out += d; });
    child.on('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${out}`)));
  });
  return { child, loginUrl };
}

async function openMetric(page: Page, name: string, search: string): Promise<void> {
  await page.fill('#search', search);
  await page.click(`#metric-list li[data-metric="${name}"]`);
  await page.waitForFunction((n) => window.dashboardState.drawn?.metric === n, name);
}

// The page's data layer (src/dashboard/public/app.js), as seen from page.evaluate (no DOM lib here).
declare const window: {
  dashboardState: { draws: number; drawn: null | { metric: string; series: Array<{ label: string; last?: number; lastTime?: number }> } };
  frameProbe: { longFrames: number[]; draws: number[] };
};

describe('the dashboard in a real browser (Debian chromium)', () => {
  let dir: string;
  let dashboard: ChildProcess | undefined;
  let app: RunningApp | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let loginUrl: string;
  let page: Page;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'omp-dashboard-'));
  });
  after(async () => {
    await browser?.close();
    app?.child.kill('SIGTERM');
    await app?.exited;
    dashboard?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the preloaded demo app: login with the printed token, its counter in the list, the drawn value it recorded', async (t) => {
    if (!havePeer(t, CHROMIUM)) return;
    const ports = { page: await freePort(), http: await freePort(), grpc: await freePort() };
    const started = await startDashboardCommand(ports);
    dashboard = started.child;
    loginUrl = started.loginUrl;
    assert.match(loginUrl, new RegExp(`^http://127\\.0\\.0\\.1:${ports.page}/login\\?t=[A-Za-z0-9_-]{32}$`));
    const base = `http://127.0.0.1:${ports.page}`;
    assert.equal((await fetch(`${base}/`)).status, 401, 'a request without the token');
    assert.equal((await fetch(`${base}/api/events?metric=demo.orders.placed`)).status, 401);

    // The app sets nothing but where the dashboard listens (non-default ports, to avoid collisions).
    app = startApp(fixture('dashboard-demo-app.js'), {
      OTEL_SERVICE_NAME: 'dashboard-demo',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.http}`,
      OTEL_METRIC_EXPORT_INTERVAL: String(EXPORT_INTERVAL_MILLIS),
      COUNT_TO: String(COUNT_TO),
      COUNT_EVERY_MS: '100',
      FANOUT_SERIES: String(FANOUT_SERIES),
    });
    await app.waitForOutput(/ready/);

    browser = await launchChromium();
    page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(loginUrl);
    assert.equal(new URL(page.url()).pathname, '/', 'the login URL redirects to the page');
    await page.waitForSelector('#metric-list li[data-metric="demo.orders.placed"]', { timeout: 20_000 });
    assert.match(await page.textContent('#service-list') ?? '', /dashboard-demo/);
    await openMetric(page, 'demo.orders.placed', 'orders');
    assert.equal(await page.locator('#metric-list li').count(), 1, 'the search leaves the one matching metric');

    await app.waitForOutput(new RegExp(`recorded ${COUNT_TO}`), 30_000);
    const recordedAt = Date.now();
    // The next export carries the final count; the chart must show it within 2 export intervals.
    await page.waitForFunction((n) => window.dashboardState.drawn?.series[0]?.last === n, COUNT_TO, { timeout: 2 * EXPORT_INTERVAL_MILLIS });
    const drawn = await page.evaluate(() => window.dashboardState.drawn!);
    assert.equal(drawn.series.length, 1);
    assert.match(drawn.series[0]!.label, /^dashboard-demo · .* · shop=north$/);
    t.diagnostic(`drawn ${COUNT_TO} ${Date.now() - recordedAt} ms after the app recorded it`);
    // The app's pipeline reports its own metrics: the health table shows them, zeros included.
    await page.waitForFunction(() => (window.dashboardState as unknown as { overview: { health: Array<{ service: string; retries?: number }> } }).overview.health.some((h) => h.service === 'dashboard-demo' && h.retries === 0));
    assert.match(await page.textContent('#health-rows') ?? '', /dashboard-demo/);
    const shot = join(dir, 'dashboard.png');
    await page.screenshot({ path: shot });
    if (process.env.DASHBOARD_SCREENSHOT_TO) copyFileSync(shot, resolve(ROOT, process.env.DASHBOARD_SCREENSHOT_TO));
    assert.deepEqual(errors, []);
  });

  it('draws histogram percentiles and the bucket heatmap', async (t) => {
    if (!page) return t.skip('needs the first test');
    await openMetric(page, 'demo.order.duration', 'order.duration');
    await page.waitForFunction(() => (window.dashboardState.drawn?.series ?? []).length === 3 && window.dashboardState.drawn!.series.every((s) => typeof s.last === 'number'));
    const drawn = await page.evaluate(() => window.dashboardState.drawn!);
    assert.deepEqual(drawn.series.map((s) => s.label), ['p50', 'p90', 'p99']);
    // Values were 20..199 ms; an estimate lies inside the buckets holding them (default bounds: up to 250).
    for (const s of drawn.series) assert.ok(s.last! >= 20 && s.last! <= 250, `${s.label} ${s.last} inside the recorded range`);
    assert.equal(await page.isVisible('#heatmap'), true);
    await page.screenshot({ path: join(dir, 'histogram.png') });
  });

  it(`stays responsive at ${FANOUT_SERIES} series on one chart (Performance API)`, async (t) => {
    if (!page) return t.skip('needs the first test');
    await openMetric(page, 'demo.fanout', 'fanout');
    // The SDK's default cardinality limit keeps 1,999 attribute sets and folds the rest into one overflow series.
    await page.waitForFunction((n) => (window.dashboardState.drawn?.series.length ?? 0) >= n - 1, FANOUT_SERIES, { timeout: 20_000 });
    await page.evaluate(() => {
      const probe = (window.frameProbe = { longFrames: [] as number[], draws: [] as number[] });
      // Long animation frames (the browser reports each frame over 50 ms) and our own draw
      // measure (frame callback to uPlot's painted hook), from live updates only.
      const Observer = PerformanceObserver as unknown as { supportedEntryTypes: string[]; new (cb: (list: { getEntries(): Array<{ duration: number; scripts?: unknown[] }> }) => void): { observe(o: object): void } };
      const type = Observer.supportedEntryTypes.includes('long-animation-frame') ? 'long-animation-frame' : 'longtask';
      new Observer((list) => { for (const e of list.getEntries()) probe.longFrames.push(e.duration); }).observe({ type, buffered: false });
      new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.name === 'dashboard-draw') probe.draws.push(e.duration); }).observe({ type: 'measure', buffered: false });
    });
    // Three live updates: each is a new export of all the series, merged and redrawn.
    await page.waitForFunction(() => window.frameProbe.draws.length >= 3, undefined, { timeout: 10 * EXPORT_INTERVAL_MILLIS });
    const probe = await page.evaluate(() => window.frameProbe);
    const series = await page.evaluate(() => window.dashboardState.drawn!.series.length);
    const worstDraw = Math.max(...probe.draws);
    const worstFrame = Math.max(0, ...probe.longFrames);
    t.diagnostic(`${series} series: draws ${probe.draws.map((d) => d.toFixed(1)).join(', ')} ms; long frames ${probe.longFrames.length} (worst ${worstFrame.toFixed(1)} ms)`);
    await page.screenshot({ path: join(dir, 'fanout.png') });
    // A frame time is a timing figure: on a shared machine it is reported, and held to the
    // 50 ms budget where the run asks for timing (OTEL_TEST_TIMING=1; bench/dashboard.js does).
    if (process.env.OTEL_TEST_TIMING === '1') {
      assert.ok(worstDraw < 50, `a draw took ${worstDraw} ms`);
      assert.equal(probe.longFrames.length, 0, `long frames: ${probe.longFrames.join(', ')} ms`);
    }
  });
});
