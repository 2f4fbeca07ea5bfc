import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { testCerts } from '../../helpers/certs';
import { ROOT } from '../../helpers/spawn-app';
import { startReader } from './reader-fixture';
import { negotiateFormat } from '../../../exporters/prometheus/content-negotiation';

const PROMETHEUS_2_42_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

// node:http rather than fetch: fetch always asks for gzip and hides Content-Encoding.
function get(url: string, headers: Record<string, string> = {}, tls?: { ca: Buffer; cert?: Buffer; key?: Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = (tls ? httpsRequest : httpRequest)(url, { headers, ...(tls ?? {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let body = Buffer.concat(chunks);
        if (res.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        resolve({ status: res.statusCode!, headers: res.headers, body: body.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('content negotiation', () => {
  it('gives Prometheus 2.42 OpenMetrics, no Accept text 0.0.4, and honours q', () => {
    assert.equal(negotiateFormat(PROMETHEUS_2_42_ACCEPT).contentType, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    assert.equal(negotiateFormat(undefined).contentType, 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(negotiateFormat('application/json').format, 'text');
    assert.equal(negotiateFormat('application/openmetrics-text;version=1.0.0;q=0.2,text/plain;version=0.0.4;q=0.5').format, 'text');
    assert.equal(negotiateFormat('application/openmetrics-text;version=0.0.1').contentType, 'application/openmetrics-text; version=0.0.1; charset=utf-8');
    assert.deepEqual(negotiateFormat('text/plain;version=1.0.0;escaping=allow-utf8'), { format: 'text', contentType: 'text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf8', utf8: true });
    assert.equal(negotiateFormat('text/plain;version=1.0.0;escaping=dots').contentType, 'text/plain; version=1.0.0; charset=utf-8; escaping=underscores');
  });
});

describe('PrometheusPullReader', () => {
  it('serves text 0.0.4 by default and OpenMetrics ending in # EOF to Prometheus 2.42', async () => {
    const { provider, url } = await startReader();
    try {
      const text = await get(`${url}/metrics`);
      assert.equal(text.status, 200);
      assert.equal(text.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
      assert.match(text.body, /^app_requests_total\{route="\/a",otel_scope_name="reader-test",otel_scope_version="1.0.0"\} 7$/m);
      assert.match(text.body, /^app_latency_seconds_count\{.*\} 3$/m);
      assert.match(text.body, /^app_temperature_celsius\{.*\} 21.5$/m);
      assert.match(text.body, /^target_info\{.*service_name="reader-test".*\} 1$/m);
      const om = await get(`${url}/metrics`, { accept: PROMETHEUS_2_42_ACCEPT });
      assert.equal(om.headers['content-type'], 'application/openmetrics-text; version=1.0.0; charset=utf-8');
      assert.match(om.body, /^# UNIT app_latency_seconds seconds$/m);
      assert.ok(om.body.endsWith('# EOF\n'));
    } finally {
      await provider.shutdown();
    }
  });

  it('gzips when asked, answers 404 elsewhere and 405 to POST', async () => {
    const { provider, url } = await startReader();
    try {
      const zipped = await get(`${url}/metrics`, { 'accept-encoding': 'gzip' });
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.match(zipped.body, /app_requests_total/);
      assert.equal((await get(`${url}/other`)).status, 404);
      assert.equal((await fetch(`${url}/metrics`, { method: 'POST' })).status, 405);
      const { provider: p2, url: u2 } = await startReader({ compression: 'none' });
      try {
        assert.equal((await get(`${u2}/metrics`, { 'accept-encoding': 'gzip' })).headers['content-encoding'], undefined);
      } finally {
        await p2.shutdown();
      }
    } finally {
      await provider.shutdown();
    }
  });

  it('concurrent scrapes share one collection', async () => {
    const { provider, url, collections } = await startReader({}, 300);
    try {
      const replies = await Promise.all(Array.from({ length: 5 }, () => get(`${url}/metrics`)));
      assert.ok(replies.every((r) => r.status === 200 && r.body.includes('app_temperature_celsius')));
      assert.equal(collections(), 1);
    } finally {
      await provider.shutdown();
    }
  });

  it('basic auth with a clear password or a bcrypt hash; wrong credentials get 401 and no metrics', async () => {
    const bcrypt = require('bcryptjs') as typeof import('bcryptjs');
    const { provider, url } = await startReader({ basicAuthUsers: { clear: 's3cret', hashed: bcrypt.hashSync('h4shed', 4) } });
    const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    try {
      assert.equal((await get(`${url}/metrics`, basic('clear', 's3cret'))).status, 200);
      assert.equal((await get(`${url}/metrics`, basic('hashed', 'h4shed'))).status, 200);
      assert.equal((await get(`${url}/metrics`, basic('hashed', 'h4shed'))).status, 200);
      for (const headers of [{}, basic('clear', 'wrong'), basic('hashed', 'wrong'), basic('nobody', 's3cret'), { authorization: 'Bearer s3cret' }]) {
        const r = await get(`${url}/metrics`, headers);
        assert.equal(r.status, 401);
        assert.match(String(r.headers['www-authenticate']), /^Basic /);
        assert.doesNotMatch(r.body, /app_/);
      }
    } finally {
      await provider.shutdown();
    }
  });

  it('a bearer token protects the endpoint', async () => {
    const { provider, url } = await startReader({ bearerToken: 'tok-123' });
    try {
      assert.equal((await get(`${url}/metrics`, { authorization: 'Bearer tok-123' })).status, 200);
      const denied = await get(`${url}/metrics`, { authorization: 'Bearer tok-124' });
      assert.equal(denied.status, 401);
      assert.equal(denied.body, 'unauthorized\n');
    } finally {
      await provider.shutdown();
    }
  });

  it('serves over TLS and, with a client CA, only to clients with a certificate (mTLS)', async (t) => {
    const { readFileSync } = await import('node:fs');
    let certs;
    try {
      certs = testCerts();
    } catch {
      if (process.env.OTEL_TEST_REQUIRE_PEERS === '1') throw new Error('required peer openssl is not installed');
      return t.skip('openssl is not installed');
    }
    const { provider, url } = await startReader({ host: 'localhost', tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca } });
    try {
      assert.match(url, /^https:/);
      const client = { ca: certs.ca, cert: readFileSync(certs.clientCertFile), key: readFileSync(certs.clientKeyFile) };
      const ok = await get(`https://localhost:${new URL(url).port}/metrics`, {}, client);
      assert.equal(ok.status, 200);
      assert.match(ok.body, /app_requests_total/);
      await assert.rejects(get(`https://localhost:${new URL(url).port}/metrics`, {}, { ca: certs.ca }));
    } finally {
      await provider.shutdown();
    }
  });

  it('listens on IPv6: ::1 and [::1]', async () => {
    for (const host of ['::1', '[::1]']) {
      const { provider, url } = await startReader({ host });
      try {
        assert.match(url, /^http:\/\/\[::1\]:\d+$/);
        assert.match((await get(`${url}/metrics`)).body, /app_requests_total/);
      } finally {
        await provider.shutdown();
      }
    }
  });

  it('a busy port is one line and no exception', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = spawnSync(process.execPath, ['-e', `
        const { PrometheusPullReader } = require('./dist/exporters/prometheus/prometheus-pull-reader');
        new PrometheusPullReader({ host: '127.0.0.1', port: ${port} });`], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0);
      assert.equal(r.stderr, `otel-metrics-pipeline: cannot serve Prometheus metrics on 127.0.0.1:${port} (EADDRINUSE); the prometheus exporter is off, the other exporters keep working\n`);
    } finally {
      blocker.close();
    }
  });

  it('does not keep the process alive, even with a scraper connected', () => {
    const started = Date.now();
    const r = spawnSync(process.execPath, ['-e', `
      const { PrometheusPullReader } = require('./dist/exporters/prometheus/prometheus-pull-reader');
      const { MeterProvider } = require('@opentelemetry/sdk-metrics');
      const reader = new PrometheusPullReader({ host: '127.0.0.1', port: 0 });
      new MeterProvider({ readers: [reader] });
      reader.startServer().then(() => fetch(reader.url + '/metrics', { keepalive: true })).then((r) => r.text()).then(() => console.log('scraped'));`], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.stdout.trim(), 'scraped');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Date.now() - started < 15_000);
  });
});
