import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/free-port';
import { havePeer } from '../helpers/peers';
import { PrometheusServer } from '../helpers/prometheus-server';
import { fixture, startApp } from '../helpers/spawn-app';

// Upstream's exporter built `http://:::9464/` from an IPv6 host and answered every scrape 400
// (and `[::1]` did not resolve). Written against the behaviour, not the implementation.

// Each host has its own app and Prometheus on ports of their own: they run side by side.
describe('Prometheus endpoint on IPv6 hosts, scraped by a real Prometheus over [::1]', { concurrency: true }, () => {
  for (const host of ['::1', '[::1]', '::']) {
    it(`OTEL_EXPORTER_PROMETHEUS_HOST=${host}`, async (t) => {
      if (!havePeer(t, 'prometheus')) return;
      const port = await freePort();
      const app = startApp(fixture('long-app.js'), {
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: host,
        OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      });
      let prometheus: PrometheusServer | undefined;
      try {
        await app.waitForOutput(/ready/);
        prometheus = await PrometheusServer.start(`[::1]:${port}`);
        let result: Awaited<ReturnType<PrometheusServer['query']>> = [];
        for (let i = 0; i < 30 && result.length === 0; i++) {
          await sleep(200);
          result = await prometheus.query('app_requests_total');
        }
        assert.equal(result.length, 1, `no sample; target: ${await prometheus.targetHealth()}; app stderr: ${app.stderr()}`);
        assert.equal(result[0]!.value[1], '7');
        assert.equal(await prometheus.targetHealth(), 'up');
        assert.equal(app.stderr(), '');
      } finally {
        await prometheus?.stop();
        app.child.kill('SIGTERM');
        await app.exited;
      }
    });
  }
});
