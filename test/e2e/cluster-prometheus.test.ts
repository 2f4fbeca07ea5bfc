import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/free-port';
import { havePeer } from '../helpers/peers';
import { PrometheusServer } from '../helpers/prometheus-server';
import { startCluster, stopCluster } from '../helpers/cluster-app';
import { fixture, REGISTER, startApp } from '../helpers/spawn-app';

// One request per connection, so the cluster's round robin spreads them over the workers.
function hit(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject).end();
  });
}
async function load(port: number, n: number): Promise<void> {
  let left = n;
  await Promise.all(Array.from({ length: 10 }, async () => { while (left-- > 0) await hit(port); }));
}
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(250);
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('cluster + Prometheus: the primary serves one aggregated view', () => {
  it('a real Prometheus sees the exact total, no reset, and a replaced worker keeps it monotonic', async (t) => {
    if (!havePeer(t, 'prometheus')) return;
    const { app, appPort, metricsPort } = await startCluster({ REFORK: '1' });
    let prometheus: PrometheusServer | undefined;
    try {
      prometheus = await PrometheusServer.start(`127.0.0.1:${metricsPort}`);
      const total = async () => Number((await prometheus!.query('sum(http_server_request_duration_seconds_count)'))[0]?.value[1] ?? NaN);
      const resets = async () => (await prometheus!.query('resets(http_server_request_duration_seconds_count[10m])')).map((s) => Number(s.value[1]));
      await load(appPort, 300);
      await until('300 requests in Prometheus', async () => (await total()) === 300);
      await sleep(2500); // a few more scrapes of the same total
      assert.equal(await total(), 300);
      assert.deepEqual(await resets(), [0]);

      const victim = /^worker 1 pid (\d+)$/m.exec(app.stdout())![1]!;
      process.kill(Number(victim), 'SIGKILL');
      await app.waitForOutput(/^worker 4 pid \d+$/m);
      await load(appPort, 60);
      await until('360 requests in Prometheus', async () => (await total()) === 360);
      await sleep(2500);
      assert.equal(await total(), 360);
      assert.deepEqual(await resets(), [0]);
      // Each worker and the primary answered with its own per-process series.
      const instances = await prometheus.query('count by (service_instance_id) (process_cpu_time_seconds_total)');
      assert.equal(instances.length >= 4, true, JSON.stringify(instances));
    } finally {
      prometheus?.stop();
      await stopCluster(app);
    }
  });

  it('a worker stopped by SIGTERM sends its last values first: what no scrape saw is still in the total', async () => {
    const { app, appPort, metricsPort } = await startCluster({ REFORK: '1' });
    const count = async () => {
      const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return [...body.matchAll(/^http_server_request_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    };
    try {
      assert.equal(await count(), 0);
      // Spread over all three workers, worker 1 included; no scrape sees these before it stops.
      await load(appPort, 30);
      const victim = /^worker 1 pid (\d+)$/m.exec(app.stdout())![1]!;
      process.kill(Number(victim), 'SIGTERM');
      await app.waitForOutput(/^exit 1$/m);
      assert.equal(await count(), 30);
    } finally {
      await stopCluster(app);
    }
  });

  it('a primary with no meter activity of its own serves its workers, inherited through NODE_OPTIONS', async () => {
    const appPort = await freePort();
    const metricsPort = await freePort();
    const app = startApp(fixture('cluster-app.js'), {
      OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      OTEL_METRICS_INSTRUMENTATIONS: 'none', OTEL_METRICS_SELF_OBSERVABILITY_DISABLED: 'true',
      APP_PORT: String(appPort), WORK: '1', NODE_OPTIONS: `--require ${REGISTER}`,
    }, []);
    try {
      await app.waitForOutput(/^ready$/m);
      const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      // Workers 1, 2 and 3 add 10, 20 and 30.
      assert.match(body, /^app_work_total\{[^}]*\} 60$/m);
    } finally {
      await stopCluster(app);
    }
  });
});
