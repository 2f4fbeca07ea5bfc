import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { freePort } from '../helpers/free-port';
import { fixture, runApp, startApp } from '../helpers/spawn-app';

describe('instrumentation under the preload', () => {
  it('exports every producer and never counts its own OTLP requests', async () => {
    const receiver = await OtlpReceiver.start();
    try {
      const result = await runApp(fixture('http-traffic-app.js'), {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
        OTEL_METRIC_EXPORT_INTERVAL: '300',
        OTEL_METRICS_INSTRUMENTATIONS: 'all',
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      const points = receiver.pointsSince(receiver.exports.length - 1);
      const names = new Set(points.map((p) => p.metric));
      for (const name of ['system.cpu.time', 'system.memory.usage', 'process.cpu.time', 'nodejs.eventloop.delay.p99', 'v8js.memory.heap.used', 'http.server.request.duration']) {
        assert.ok(names.has(name), `${name} missing`);
      }
      const client = points.filter((p) => p.metric === 'http.client.request.duration');
      const receiverPort = Number(new URL(receiver.httpBase).port);
      assert.equal(client.reduce((s, p) => s + p.count!, 0), 3, 'only the app\'s three fetches');
      assert.ok(client.every((p) => p.attributes['server.port'] !== receiverPort), 'no export request counted');
      assert.ok(receiver.exports.length >= 2);
    } finally {
      await receiver.close();
    }
  });
});

describe('health endpoint under the preload', () => {
  it('serves /healthz on localhost and its JSON shows an exporter that keeps failing', async () => {
    const receiver = await OtlpReceiver.start({ reply: () => ({ httpStatus: 400 }) });
    const port = await freePort();
    const app = startApp(fixture('idle-app.js'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
      OTEL_METRIC_EXPORT_INTERVAL: '200',
      OTEL_METRICS_HEALTH_PORT: String(port),
      IDLE_APP_MS: '20000',
    });
    try {
      let report: { status: string; exporters: Array<{ name: string; ok: boolean; lastErrorType?: string }> } | undefined;
      for (let i = 0; i < 300 && report?.exporters[0]?.ok !== false; i++) {
        // Poll: the app needs a moment to listen and to fail its first export.
        await new Promise((r) => setTimeout(r, 50));
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        if (res) report = (await res.json()) as typeof report;
      }
      assert.ok(report, 'endpoint answered');
      assert.equal(report.status, 'degraded');
      assert.equal(report.exporters[0].name, 'otlp');
      assert.equal(report.exporters[0].ok, false);
      assert.ok(report.exporters[0].lastErrorType, 'the failure type is reported'); // '400', or 'timeout' on a loaded machine
    } finally {
      app.child.kill('SIGKILL');
      await app.exited;
      await receiver.close();
    }
  });
});
