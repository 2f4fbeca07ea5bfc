import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { EnvReader } from '../../core/env-reader';
import { ConfigError } from '../../core/errors';
import { DeliveryStats } from '../../exporters/delivery/delivery-stats';
import { exportHealthOf } from '../../instrumentation/health/export-health';
import { readHealthConfig } from '../../instrumentation/health/health-config';
import { HealthMonitor } from '../../instrumentation/health/health-monitor';
import type { HealthReport } from '../../instrumentation/health/health-report';
import { startHealthServer } from '../../instrumentation/health/health-server';
import { getHealth } from '../../instrumentation/health/health';

function stats(name: string): DeliveryStats {
  const s = new DeliveryStats(name);
  s.queueCapacity = 10;
  return s;
}

const EMPTY = { resource: { attributes: {} }, scopeMetrics: [] } as unknown as import('@opentelemetry/sdk-metrics').ResourceMetrics;

describe('health', () => {
  it('getHealth() reports CPU, memory and event loop within their ranges', () => {
    const r = getHealth();
    assert.ok(['ok', 'degraded', 'unhealthy'].includes(r.status));
    assert.ok(r.checks.cpu.value! >= 0 && r.checks.cpu.value! <= 1);
    assert.ok(r.checks.memory.value! > 0 && r.checks.memory.value! < 1);
    assert.ok(r.checks.memory.limitBytes! > r.checks.memory.usedBytes!);
    assert.ok(r.checks.eventLoop.value! >= 0);
  });

  it('the endpoint JSON shows a failing exporter as degraded without failing /healthz or /readyz', async () => {
    const monitor = new HealthMonitor({ thresholds: { cpuUtilization: 1, memoryUtilization: 1 } });
    const good = stats('otlp');
    const bad = stats('influxdb');
    monitor.setExportHealthSource(() => [good, bad].map(exportHealthOf));
    good.attempted({ seconds: 0.01, batch: EMPTY, points: 0 });
    bad.attempted({ seconds: 0.01, batch: EMPTY, points: 0 });
    bad.attempted({ seconds: 0.5, batch: EMPTY, points: 0, failure: { retryable: true, type: '503' } }); // the forced failure
    bad.fail('503', 42);
    bad.queueSize = 3;
    const server = (await startHealthServer(monitor, 0))!;
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const live = await fetch(`${base}/healthz`);
      assert.equal(live.status, 200);
      const report = (await live.json()) as HealthReport;
      assert.equal(report.status, 'degraded');
      const byName = Object.fromEntries(report.exporters.map((e) => [e.name, e]));
      assert.equal(byName.otlp.ok, true);
      assert.equal(byName.influxdb.ok, false);
      assert.equal(byName.influxdb.lastErrorType, '503');
      assert.equal(byName.influxdb.droppedPoints, 42);
      assert.equal(byName.influxdb.queueSize, 3);
      assert.equal((await fetch(`${base}/readyz`)).status, 200, 'a metrics backend outage never takes the app out of rotation');
      assert.equal((await fetch(`${base}/other`)).status, 404);
      bad.attempted({ seconds: 0.01, batch: EMPTY, points: 0 });
      assert.equal(((await (await fetch(`${base}/readyz`)).json()) as HealthReport).status, 'ok', 'recovers after a success');
    } finally {
      await server.close();
      monitor.close();
    }
  });

  it('a resource check over its threshold makes /readyz 503', async () => {
    const monitor = new HealthMonitor({ thresholds: { memoryUtilization: 0.0001 } });
    const server = (await startHealthServer(monitor, 0))!;
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      assert.equal(res.status, 503);
      const report = (await res.json()) as HealthReport;
      assert.equal(report.status, 'unhealthy');
      assert.equal(report.checks.memory.ok, false);
    } finally {
      await server.close();
      monitor.close();
    }
  });

  it('reads thresholds from env with one line per bad value; bad code options throw', () => {
    const lines: string[] = [];
    const env = new EnvReader({ OTEL_METRICS_HEALTH_PORT: '9999', OTEL_METRICS_HEALTH_CPU_THRESHOLD: '150', OTEL_METRICS_HEALTH_EVENTLOOP_P99_MILLIS: '250' }, (l) => lines.push(l));
    const c = readHealthConfig(env);
    assert.equal(c.port, 9999);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.thresholds.cpuUtilization, 0.9);
    assert.equal(c.thresholds.eventLoopP99Millis, 250);
    assert.deepEqual(lines, ['invalid OTEL_METRICS_HEALTH_CPU_THRESHOLD="150" (expected a number > 0 and <= 1); using 0.9']);
    assert.throws(() => readHealthConfig(new EnvReader({}), { thresholds: { memoryUtilization: 2 } }), ConfigError);
  });
});
