import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp } from '../helpers/spawn-app';

describe('self-observability', () => {
  it('reports its own exports, queue and collections through the same pipeline', async () => {
    const receiver = await OtlpReceiver.start({ reply: (n) => (n === 0 ? { httpStatus: 503 } : undefined) });
    try {
      const result = await runApp(fixture('idle-app.js'), {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
        OTEL_METRIC_EXPORT_INTERVAL: '300',
        OTEL_METRICS_RETRY_INITIAL_INTERVAL: '50',
        IDLE_APP_MS: '1500',
      });
      assert.equal(result.code, 0, result.stderr);
      const last = receiver.pointsSince(receiver.exports.length - 1);
      const names = new Set(last.map((p) => p.metric));
      for (const name of [
        'otel.sdk.exporter.metric_data_point.exported',
        'otel.sdk.exporter.operation.duration',
        'otel.sdk.metric_reader.collection.duration',
        'otel_metrics_pipeline.retries',
        'otel_metrics_pipeline.queue.size',
        'otel_metrics_pipeline.queue.capacity',
      ]) assert.ok(names.has(name), `${name} missing from ${[...names].join(', ')}`);
      const exported = last.filter((p) => p.metric === 'otel.sdk.exporter.metric_data_point.exported' && p.attributes['error.type'] === undefined);
      assert.ok(exported[0]!.value! > 0);
      assert.equal(exported[0]!.attributes['otel.component.name'], 'otlp');
      const retries = last.find((p) => p.metric === 'otel_metrics_pipeline.retries')!;
      assert.ok(retries.value! >= 1);
      const failedAttempts = last.find((p) => p.metric === 'otel.sdk.exporter.operation.duration' && p.attributes['error.type'] === '503');
      assert.ok(failedAttempts && failedAttempts.count! >= 1);
    } finally {
      await receiver.close();
    }
  });

  it('OTEL_METRICS_SELF_OBSERVABILITY_DISABLED=true turns it off', async () => {
    const receiver = await OtlpReceiver.start();
    try {
      const result = await runApp(fixture('short-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, OTEL_METRICS_SELF_OBSERVABILITY_DISABLED: 'true' });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(receiver.points().every((p) => !p.metric.startsWith('otel')));
    } finally {
      await receiver.close();
    }
  });
});
