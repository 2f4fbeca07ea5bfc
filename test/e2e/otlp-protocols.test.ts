import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp } from '../helpers/spawn-app';
import { assertKnownValues, find } from '../helpers/known-values';

describe('OTLP end to end: a short-lived app under the preload', () => {
  let receiver: OtlpReceiver;
  before(async () => { receiver = await OtlpReceiver.start(); });
  after(() => receiver.close());

  for (const protocol of ['http/protobuf', 'http/json', 'grpc'] as const) {
    it(`delivers the final values over ${protocol}`, async () => {
      const before = receiver.exports.length;
      const endpoint = protocol === 'grpc' ? receiver.grpcUrl : receiver.httpBase;
      const result = await runApp(fixture('short-app.js'), {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_SERVICE_NAME: `svc-${protocol}`,
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,team=core%20metrics',
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      const got = receiver.exports.slice(before);
      assert.equal(got.length, 1);
      assert.equal(got[0]!.transport, protocol === 'grpc' ? 'grpc' : 'http');
      if (protocol !== 'grpc') assert.equal(got[0]!.contentType, protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
      const mine = receiver.pointsSince(before);
      assert.ok(mine.every((p) => p.resource['service.name'] === `svc-${protocol}`));
      assertKnownValues(mine);
      const resource = mine[0]!.resource;
      assert.equal(resource['telemetry.sdk.language'], 'nodejs');
      assert.equal(resource['team'], 'core metrics');
      assert.equal(resource['deployment.environment.name'], 'test');
      assert.equal(typeof resource['process.pid'], 'number');
      assert.equal(typeof resource['host.name'], 'string');
      assert.equal(resource['process.command_args'], undefined);
    });
  }

  it('sends delta temporality and exponential histograms when asked', async () => {
    const before = receiver.exports.length;
    const result = await runApp(fixture('short-app.js'), {
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl,
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta',
      OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'base2_exponential_bucket_histogram',
    });
    assert.equal(result.code, 0, result.stderr);
    const points = receiver.pointsSince(before);
    assert.equal(find(points, 'app.requests').temporality, 'AGGREGATION_TEMPORALITY_DELTA');
    assert.equal(find(points, 'app.inflight').temporality, 'AGGREGATION_TEMPORALITY_CUMULATIVE');
    const latency = find(points, 'app.latency');
    assert.equal(latency.kind, 'exponentialHistogram');
    assert.equal(latency.temporality, 'AGGREGATION_TEMPORALITY_DELTA');
    assert.equal(latency.count, 3);
    assert.equal(latency.bucketCounts!.reduce((a, b) => a + b, 0), 3);
  });
});
