import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testCerts } from '../../helpers/certs';
import { havePeer } from '../../helpers/peers';
import { PrometheusServer } from '../../helpers/prometheus-server';
import { startReader } from './reader-fixture';
import type { PrometheusReaderOptions } from '../../../exporters/prometheus/prometheus-pull-reader';

type Sample = Awaited<ReturnType<PrometheusServer['query']>>[number];

async function waitFor(prometheus: PrometheusServer, promql: string): Promise<Sample[]> {
  for (let i = 0; i < 100; i++) {
    const result = await prometheus.query(promql);
    if (result.length > 0) return result;
    await sleep(200);
  }
  assert.fail(`no ${promql} after 20 s; target: ${await prometheus.targetHealth()}`);
}

/** Starts our reader with `options`, a real Prometheus scraping it, and checks what it stored. */
async function scrapeAndCheck(options: PrometheusReaderOptions, target: (port: string) => string, job = ''): Promise<void> {
  const { provider, url } = await startReader(options);
  let prometheus: PrometheusServer | undefined;
  try {
    prometheus = await PrometheusServer.start(target(new URL(url).port), job);
    const requests = await waitFor(prometheus, 'app_requests_total');
    assert.equal(requests[0]!.value[1], '7');
    assert.equal(requests[0]!.metric.route, '/a');
    assert.equal(requests[0]!.metric.otel_scope_name, 'reader-test');
    assert.equal((await waitFor(prometheus, 'app_latency_seconds_count'))[0]!.value[1], '3');
    assert.equal((await waitFor(prometheus, 'app_latency_seconds_bucket{le=~"5|5[.]0"}'))[0]!.value[1], '3');
    assert.equal((await waitFor(prometheus, 'app_temperature_celsius'))[0]!.value[1], '21.5');
    assert.equal((await waitFor(prometheus, 'target_info'))[0]!.metric.service_name, 'reader-test');
    assert.equal(await prometheus.targetHealth(), 'up');
    // UNIT metadata exists only in OpenMetrics: Prometheus having it proves what was negotiated.
    const meta = (await (await fetch(`${prometheus.url}/api/v1/targets/metadata?metric=app_latency_seconds`)).json()) as { data: Array<{ type: string; unit: string }> };
    assert.deepEqual(meta.data.map((m) => [m.type, m.unit]), [['histogram', 'seconds']]);
  } finally {
    await prometheus?.stop();
    await provider.shutdown();
  }
}

// Each test has its own reader and Prometheus on ports of its own: they run side by side.
describe('a real Prometheus server scraping the endpoint', { concurrency: true }, () => {
  it('stores the values, unit-suffixed names and target_info (OpenMetrics negotiated)', async (t) => {
    if (!havePeer(t, 'prometheus')) return;
    await scrapeAndCheck({}, (port) => `127.0.0.1:${port}`);
  });

  it('scrapes over IPv6 [::1]', async (t) => {
    if (!havePeer(t, 'prometheus')) return;
    await scrapeAndCheck({ host: '::1' }, (port) => `[::1]:${port}`);
  });

  it('scrapes with basic auth (bcrypt hash on our side) over TLS', async (t) => {
    if (!havePeer(t, 'prometheus') || !havePeer(t, 'openssl', ['version'])) return;
    const certs = testCerts();
    const bcrypt = require('bcryptjs') as typeof import('bcryptjs');
    const job = `    scheme: https\n    tls_config:\n      ca_file: ${certs.caFile}\n    basic_auth:\n      username: prom\n      password: pa55\n`;
    await scrapeAndCheck({ host: 'localhost', basicAuthUsers: { prom: bcrypt.hashSync('pa55', 5) }, tls: { cert: certs.serverCert, key: certs.serverKey } }, (port) => `localhost:${port}`, job);
  });

  it('scrapes with a bearer token and a client certificate (mTLS)', async (t) => {
    if (!havePeer(t, 'prometheus') || !havePeer(t, 'openssl', ['version'])) return;
    const certs = testCerts();
    const tokenFile = join(certs.dir, 'token');
    writeFileSync(tokenFile, 'tok-xyz');
    const job = `    scheme: https\n    tls_config:\n      ca_file: ${certs.caFile}\n      cert_file: ${certs.clientCertFile}\n      key_file: ${certs.clientKeyFile}\n    authorization:\n      type: Bearer\n      credentials_file: ${tokenFile}\n`;
    await scrapeAndCheck({ host: 'localhost', bearerToken: 'tok-xyz', tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca } }, (port) => `localhost:${port}`, job);
  });

  it('with wrong credentials Prometheus sees 401 and stores nothing', async (t) => {
    if (!havePeer(t, 'prometheus')) return;
    const { provider, url } = await startReader({ basicAuthUsers: { prom: 'right' } });
    const prometheus = await PrometheusServer.start(`127.0.0.1:${new URL(url).port}`, '    basic_auth:\n      username: prom\n      password: wrong\n');
    try {
      let health: string | undefined;
      for (let i = 0; i < 100 && !health?.includes('401'); i++) {
        await sleep(200);
        health = await prometheus.targetHealth();
      }
      assert.match(health ?? '', /down: .*401/);
      assert.deepEqual(await prometheus.query('app_requests_total'), []);
    } finally {
      await prometheus.stop();
      await provider.shutdown();
    }
  });
});
