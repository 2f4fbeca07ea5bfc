import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort } from '../helpers/free-port';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp } from '../helpers/spawn-app';

describe('cluster + OTLP push', () => {
  it('each worker pushes as its own instance; host figures come from the primary alone', async () => {
    const receiver = await OtlpReceiver.start();
    try {
      const result = await runApp(fixture('cluster-app.js'), {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_METRICS_INSTRUMENTATIONS: 'system,process', OTEL_SERVICE_NAME: 'cluster-svc',
        APP_PORT: String(await freePort()), WORK: '1', STOP_WHEN_READY: '1',
      });
      assert.equal(result.code, 0, result.stderr);
      const points = receiver.points();
      // Each worker's last export holds its own cumulative count: 10, 20 and 30.
      const work = new Map<unknown, number>();
      for (const p of points.filter((p) => p.metric === 'app.work')) work.set(p.resource['service.instance.id'], p.value!);
      assert.equal(work.size, 3);
      assert.deepEqual([...work.values()].sort((a, b) => a - b), [10, 20, 30]);
      assert.ok([...work.keys()].every((id) => typeof id === 'string' && id.length > 0));
      assert.ok(points.every((p) => p.resource['service.name'] === 'cluster-svc'));
      const systemFrom = new Set(points.filter((p) => p.metric === 'system.cpu.time').map((p) => p.resource['process.pid']));
      assert.equal(systemFrom.size, 1);
      const workerPids = new Set(points.filter((p) => p.metric === 'app.work').map((p) => p.resource['process.pid']));
      assert.ok(![...systemFrom].some((pid) => workerPids.has(pid)), 'system.cpu.time came from a worker');
    } finally {
      await receiver.close();
    }
  });
});
