import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { Agent, createServer, request, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { createHttpProducer } from '../../instrumentation/http/http-producer';
import { EnvReader } from '../../core/env-reader';
import { setHttpRoute } from '../../instrumentation/http/http-route';
import { harness, points, type Collected } from '../helpers/metric-collect';
import { fixture, runApp } from '../helpers/spawn-app';

const count = (c: Collected, name: string, match: Record<string, unknown>) =>
  points(c, name, match).reduce((s, p) => s + (p.value as { count: number }).count, 0);

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function rawRequest(url: string, method: string, headers: Record<string, string> = {}, agent?: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Collects until no request is active (at most 5 s): the server sees a client's hang-up when its
 * socket does, so a test waits for that condition, not for a fixed delay.
 */
async function noneActive(h: { collect(): Promise<Collected> }): Promise<Collected> {
  let c = await h.collect();
  for (const end = Date.now() + 5000; points(c, 'http.server.active_requests')[0].value !== 0 && Date.now() < end;) {
    await new Promise((r) => setTimeout(r, 20));
    c = await h.collect();
  }
  return c;
}

describe('http producer', () => {
  it('counts server and client requests with semconv attributes, never raw paths, never our own', async () => {
    const h = harness([createHttpProducer({ env: new EnvReader({ OTEL_METRICS_HTTP_BODY_SIZES: 'true' }, () => {}) })]);
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/users/')) setHttpRoute(req, '/users/:id');
      res.statusCode = req.url === '/boom' ? 500 : 200;
      res.setHeader('content-length', 5);
      res.end('hello');
    });
    const base = await listen(server);
    try {
      for (const id of [1, 2, 3]) assert.equal((await fetch(`${base}/users/${id}`)).status, 200);
      await fetch(`${base}/boom`).then((r) => r.text());
      await rawRequest(`${base}/raw`, 'PURGE');
      await rawRequest(`${base}/mine`, 'GET', { 'user-agent': 'otel-metrics-pipeline/0.1.0' });
      await fetch(`${base}/mine-too`, { headers: { 'user-agent': 'otel-metrics-pipeline/0.1.0' } }).then((r) => r.text());
      const c = await h.collect();
      const server = 'http.server.request.duration';
      assert.equal(count(c, server, {}), 5, 'our own two requests are not counted');
      assert.equal(count(c, server, { 'http.route': '/users/:id', 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.scheme': 'http', 'network.protocol.version': '1.1' }), 3);
      assert.equal(count(c, server, { 'http.response.status_code': 500, 'error.type': '500' }), 1);
      assert.equal(count(c, server, { 'http.request.method': '_OTHER' }), 1, 'PURGE is _OTHER');
      for (const p of points(c, server)) {
        assert.ok(!Object.values(p.attributes).some((v) => String(v).includes('/users/1') || String(v).includes('/raw')), 'no raw paths');
      }
      const client = 'http.client.request.duration';
      assert.equal(count(c, client, {}), 5);
      assert.equal(count(c, client, { 'server.address': '127.0.0.1', 'http.request.method': 'GET', 'http.response.status_code': 200 }), 3, 'fetch');
      assert.equal(count(c, client, { 'http.request.method': '_OTHER', 'server.port': Number(new URL(base).port) }), 1, 'node:http');
      assert.equal(count(c, 'http.server.response.body.size', {}), 5);
      assert.deepEqual(points(c, 'http.server.active_requests').map((p) => p.value), points(c, 'http.server.active_requests').map(() => 0));
      const hist = c.get(server) as HistogramMetricData;
      assert.deepEqual(hist.dataPoints[0].value.buckets.boundaries, [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);
    } finally {
      server.close();
      await h.close();
    }
  });

  it('body sizes are off by default (two more SDK records per request) and reuse one attribute set per route and status', async () => {
    const h = harness([createHttpProducer({ client: false, env: new EnvReader({}, () => {}) })]);
    const server = createServer((req, res) => { setHttpRoute(req, '/items/:id'); res.setHeader('content-length', 2); res.end('ok'); });
    const base = await listen(server);
    try {
      for (const id of [1, 2, 3]) await fetch(`${base}/items/${id}`).then((r) => r.text());
      const c = await h.collect();
      assert.equal(c.get('http.server.response.body.size'), undefined);
      assert.equal(c.get('http.server.request.body.size'), undefined);
      assert.equal(count(c, 'http.server.request.duration', { 'http.route': '/items/:id', 'http.response.status_code': 200 }), 3);
      assert.equal(points(c, 'http.server.request.duration').length, 1, 'one series for the three requests');
    } finally {
      server.close();
      await h.close();
    }
  });

  it('interleaved statuses and routes each land in their own series; our own User-Agent is skipped in any case', async () => {
    const h = harness([createHttpProducer({ client: false, env: new EnvReader({}, () => {}) })]);
    const server = createServer((req, res) => {
      if (req.url !== '/none') setHttpRoute(req, req.url!.startsWith('/a') ? '/a/:id' : '/b/:id');
      res.statusCode = req.url!.endsWith('404') ? 404 : 200;
      res.end();
    });
    const base = await listen(server);
    try {
      for (const path of ['/a/1', '/a/404', '/a/2', '/b/1', '/a/3', '/b/404', '/none', '/a/4']) await rawRequest(`${base}${path}`, 'GET');
      await rawRequest(`${base}/a/5`, 'GET', { 'User-Agent': 'otel-metrics-pipeline/0.1.0' });
      const c = await h.collect();
      const server = 'http.server.request.duration';
      assert.equal(count(c, server, {}), 8);
      assert.equal(count(c, server, { 'http.route': '/a/:id', 'http.response.status_code': 200 }), 4);
      assert.equal(count(c, server, { 'http.route': '/a/:id', 'http.response.status_code': 404 }), 1);
      assert.equal(count(c, server, { 'http.route': '/b/:id', 'http.response.status_code': 200 }), 1);
      assert.equal(count(c, server, { 'http.route': '/b/:id', 'http.response.status_code': 404 }), 1);
      assert.equal(points(c, server).filter((p) => !('http.route' in p.attributes)).length, 1, 'a request without a route has no http.route');
      assert.equal(points(c, server).length, 5);
    } finally {
      server.close();
      await h.close();
    }
  });

  it('bodySizes must be a boolean', () => {
    assert.throws(() => createHttpProducer({ bodySizes: 'yes' as unknown as boolean }), /http.bodySizes must be a boolean/);
  });

  it('an aborted request leaves no active request behind', async () => {
    const h = harness([createHttpProducer({ client: false })]);
    let arrived!: () => void;
    const got = new Promise<void>((r) => { arrived = r; });
    const server = createServer(() => arrived()); // never answers
    const base = await listen(server);
    try {
      const req = request(`${base}/slow`);
      req.on('error', () => {});
      req.end();
      await got;
      assert.equal(points(await h.collect(), 'http.server.active_requests')[0].value, 1);
      req.destroy();
      const c = await noneActive(h);
      assert.equal(points(c, 'http.server.active_requests')[0].value, 0);
      assert.equal(count(c, 'http.server.request.duration', { 'error.type': 'aborted' }), 1);
    } finally {
      server.closeAllConnections();
      server.close();
      await h.close();
    }
  });

  it('counts each request of a keep-alive or pipelined connection once, and both in flight when it closes', async () => {
    const h = harness([createHttpProducer({ client: false })]);
    const held: ServerResponse[] = [];
    const server = createServer((req, res) => { if (req.url === '/hold') held.push(res); else res.end('ok'); });
    const base = await listen(server);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const port = (server.address() as AddressInfo).port;
    const pipelined = (paths: string[]) => {
      const socket = connect(port, '127.0.0.1');
      socket.write(paths.map((p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
      return socket;
    };
    try {
      for (let i = 0; i < 3; i++) assert.equal(await rawRequest(`${base}/k`, 'GET', {}, agent), 200);
      // Two requests in one write: the second starts while the first is unfinished.
      const both = pipelined(['/p1', '/p2']);
      let text = '';
      both.on('data', (d) => { text += d; });
      while ((text.match(/HTTP\/1\.1 200/g) ?? []).length < 2) await once(both, 'data');
      both.destroy();
      const hold = pipelined(['/hold', '/hold']);
      while (held.length < 2) await once(server, 'request');
      assert.equal(points(await h.collect(), 'http.server.active_requests')[0].value, 2);
      hold.destroy();
      const c = await noneActive(h);
      assert.equal(points(c, 'http.server.active_requests')[0].value, 0);
      assert.equal(count(c, 'http.server.request.duration', { 'http.response.status_code': 200 }), 5);
      assert.equal(count(c, 'http.server.request.duration', { 'error.type': 'aborted' }), 2);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      server.close();
      await h.close();
    }
  });

  it('works for an ES module app under --import', async () => {
    const result = await runApp(fixture('http-esm-app.mjs'), {}, ['--import', fixture('http-preload.js')]);
    assert.equal(result.code, 0, result.stderr);
    const line = result.stdout.split('\n').find((l) => l.startsWith('METRICS '));
    assert.ok(line, result.stdout);
    const m = JSON.parse(line.slice(8)) as Record<string, Array<{ attributes: Record<string, unknown>; count: number }>>;
    const total = (name: string, f: (a: Record<string, unknown>) => boolean = () => true) => (m[name] ?? []).filter((p) => f(p.attributes)).reduce((s, p) => s + p.count, 0);
    assert.equal(total('http.server.request.duration'), 5);
    assert.equal(total('http.server.request.duration', (a) => a['http.response.status_code'] === 503), 1);
    assert.equal(total('http.client.request.duration'), 5);
  });
});
