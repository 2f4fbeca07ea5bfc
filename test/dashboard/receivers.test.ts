import assert from 'node:assert/strict';
import { OTLPMetricExporter as UpstreamGrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as UpstreamJsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { after, before, describe, it } from 'node:test';
import { parseDashboardArgs, type DashboardOptions } from '../../src/dashboard/dashboard-options';
import { startDashboard, type Dashboard } from '../../src/dashboard/start-dashboard';
import { DEFAULT_LIMITS } from '../../src/dashboard/store-limits';
import { startMetrics } from '../../src/index';
import { freePort } from '../helpers/free-port';
import { runApp, ROOT } from '../helpers/spawn-app';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as http from 'node:http';

async function options(extra: Partial<DashboardOptions> = {}): Promise<DashboardOptions> {
  return { host: '127.0.0.1', port: await freePort(), otlpHttpPort: await freePort(), otlpGrpcPort: await freePort(), allowAnonymous: false, limits: { ...DEFAULT_LIMITS }, ...extra };
}

/** The latest value of `metric` the dashboard holds for `service`, or undefined. */
function latest(dashboard: Dashboard, metric: string, service: string): number | undefined {
  const m = dashboard.store.metrics.get(metric);
  for (const s of m?.series.values() ?? []) {
    if (!s.label.startsWith(`${service} ·`)) continue;
    const { v } = s.ring.read(s.ring.written - 1, -Infinity);
    return v[0]![0];
  }
  return undefined;
}

async function sendThrough(exporter: PushMetricExporter, service: string): Promise<void> {
  const handle = startMetrics({ env: { OTEL_SERVICE_NAME: service }, exporters: [exporter], setGlobal: false, flushOnExit: false, selfObservability: false, instrumentations: [] });
  try {
    handle.meterProvider.getMeter('dashboard-test').createCounter('app.orders', { unit: '{order}', description: 'Orders placed' }).add(3, { shop: 'north' });
    await handle.forceFlush();
  } finally {
    await handle.shutdown();
  }
}

describe('the dashboard receives OTLP from any sender', () => {
  let dashboard: Dashboard;
  before(async () => { dashboard = await startDashboard(await options()); });
  after(() => dashboard.close());

  it('OTLP/HTTP JSON from the upstream @opentelemetry/exporter-metrics-otlp-http', async () => {
    await sendThrough(new UpstreamJsonExporter({ url: dashboard.otlpHttpUrl }), 'json-sender');
    assert.equal(latest(dashboard, 'app.orders', 'json-sender'), 3);
    const m = dashboard.store.metrics.get('app.orders')!;
    assert.equal(m.unit, '{order}');
    assert.equal(m.description, 'Orders placed');
  });

  it('OTLP/gRPC from the upstream @opentelemetry/exporter-metrics-otlp-grpc (@grpc/grpc-js client)', async () => {
    await sendThrough(new UpstreamGrpcExporter({ url: dashboard.otlpGrpcUrl }), 'grpc-sender');
    assert.equal(latest(dashboard, 'app.orders', 'grpc-sender'), 3);
  });

  for (const [protocol, compression] of [['http/protobuf', 'gzip'], ['grpc', 'gzip'], ['http/json', 'none']] as const) {
    it(`an app under the preload, ${protocol} with compression ${compression}`, async () => {
      const endpoint = protocol === 'grpc' ? dashboard.otlpGrpcUrl : dashboard.otlpHttpUrl.replace('/v1/metrics', '');
      const service = `preload-${protocol}-${compression}`;
      const result = await runApp(join(ROOT, 'dist/test/fixtures/short-app.js'), {
        OTEL_SERVICE_NAME: service, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_COMPRESSION: compression,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(dashboard.store.instances.has(`${service}\u0001${[...dashboard.store.instances.values()].find((i) => i.service === service)?.instance}`), `no instance of ${service}`);
      assert.ok([...dashboard.store.metrics.values()].some((m) => m.services.has(service)), 'its metrics arrived');
    });
  }

  it('answers OTLP/HTTP as the spec says: 415 for another content type, 400 for bytes that do not decode', async () => {
    const post = (type: string, body: string) => fetch(dashboard.otlpHttpUrl, { method: 'POST', headers: { 'content-type': type }, body });
    assert.equal((await post('text/plain', 'x')).status, 415);
    assert.equal((await post('application/x-protobuf', '\xff\xff\xff')).status, 400);
    assert.equal((await post('application/json', '{"resourceMetrics": 5}')).status, 400);
    const ok = await post('application/json', '{"resourceMetrics":[]}');
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '{}');
  });
});

describe('the dashboard page login', () => {
  let dashboard: Dashboard;
  before(async () => { dashboard = await startDashboard(await options()); });
  after(() => dashboard.close());

  it('refuses every page request without the token (401), and the login URL sets an HttpOnly cookie', async () => {
    for (const path of ['/', '/app.js', '/api/overview', '/api/events']) assert.equal((await fetch(new URL(path, dashboard.pageUrl))).status, 401, path);
    assert.equal((await fetch(new URL('/login?t=wrong', dashboard.pageUrl), { redirect: 'manual' })).status, 401);
    const login = await fetch(dashboard.loginUrl, { redirect: 'manual' });
    assert.equal(login.status, 302);
    const cookie = login.headers.get('set-cookie')!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const page = await fetch(dashboard.pageUrl, { headers: { cookie: cookie.split(';')[0]! } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /uplot\.min\.js/);
    const uplot = await fetch(new URL('/uplot.min.js', dashboard.pageUrl), { headers: { cookie: cookie.split(';')[0]! } });
    assert.equal(uplot.status, 200, 'uPlot is served from the package, no CDN');
  });

  it('--allow-anonymous needs no token but refuses a Host that is not loopback (DNS rebinding)', async () => {
    const anon = await startDashboard(await options({ allowAnonymous: true }));
    try {
      assert.equal((await fetch(anon.pageUrl)).status, 200);
      // fetch will not set Host; node:http will.
      const status = await new Promise<number>((resolve, reject) => {
        http.get(anon.pageUrl, { headers: { host: 'attacker.example' } }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject);
      });
      assert.equal(status, 401);
    } finally {
      await anon.close();
    }
  });

  it('refuses to bind beyond loopback without a token, and takes bad flags with exit code 2', () => {
    const refused = parseDashboardArgs(['--host', '0.0.0.0', '--allow-anonymous']);
    assert.ok(typeof refused === 'object' && 'error' in refused);
    assert.match(refused.error, /without a login/);
    const anonymous = runCli(['dashboard', '--host', '0.0.0.0', '--allow-anonymous']);
    assert.equal(anonymous.code, 2);
    assert.match(anonymous.stderr, /--allow-anonymous with --host 0\.0\.0\.0/);
    assert.equal(runCli(['dashboard', '--port', 'x']).code, 2);
    const defaults = parseDashboardArgs([]);
    assert.ok(typeof defaults === 'object' && !('error' in defaults));
    assert.deepEqual([defaults.host, defaults.port, defaults.otlpHttpPort, defaults.otlpGrpcPort], ['127.0.0.1', 18888, 4318, 4317]);
  });
});

function runCli(args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/src/cli.js'), ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stderr: r.stderr };
}
