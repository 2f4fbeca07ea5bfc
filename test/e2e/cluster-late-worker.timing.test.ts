// Split from cluster-prometheus.test.ts: it bounds how long a scrape takes, so it runs in the timing
// group (npm test runs *.timing.test.js files apart, two at a time), not beside the busy suites.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startCluster, stopCluster } from '../helpers/cluster-app';

describe('cluster + Prometheus: a blocked worker', () => {
  it('a worker blocked in a busy loop is left out within the bound and counted', async () => {
    const { app, metricsPort } = await startCluster({ BLOCK_WORKER: '2', OTEL_METRICS_CLUSTER_SCRAPE_TIMEOUT: '500' });
    try {
      await app.waitForOutput(/^blocking 2$/m);
      const started = Date.now();
      const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const elapsed = Date.now() - started;
      // The bound is the scrape timeout plus the primary's own collection and serialization.
      assert.ok(elapsed < 500 + 1500, `scrape took ${elapsed}ms`);
      assert.match(body, /^otel_metrics_pipeline_cluster_late_workers_total\{[^}]*\} 1$/m);
      // The primary and the two live workers: three instances; the blocked one is absent.
      const instances = new Set([...body.matchAll(/^process_cpu_time_seconds_total\{[^}]*service_instance_id="([^"]+)"/gm)].map((m) => m[1]));
      assert.equal(instances.size, 3, body);
    } finally {
      await stopCluster(app);
    }
  });
});
