import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, REGISTER, runApp } from '../helpers/spawn-app';
import { assertKnownValues } from '../helpers/known-values';

// OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION=upstream under the preload: the protocol picks
// upstream's package, which reads the standard variables itself, inside our delivery chain.
const PACKAGES = {
  'http/protobuf': '@opentelemetry/exporter-metrics-otlp-proto',
  'http/json': '@opentelemetry/exporter-metrics-otlp-http',
  grpc: '@opentelemetry/exporter-metrics-otlp-grpc',
} as const;
const UPSTREAM_AGENT = /OTel-OTLP-Exporter-JavaScript/i;

describe('OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION=upstream under the preload', () => {
  let receiver: OtlpReceiver;
  before(async () => { receiver = await OtlpReceiver.start(); });
  after(() => receiver.close());

  const endpointFor = (protocol: keyof typeof PACKAGES) => (protocol === 'grpc' ? receiver.grpcUrl : receiver.httpBase);

  for (const protocol of Object.keys(PACKAGES) as Array<keyof typeof PACKAGES>) {
    it(`${protocol}: upstream's ${PACKAGES[protocol]} delivers the final values`, async () => {
      const from = receiver.exports.length;
      const result = await runApp(fixture('short-app.js'), {
        OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION: 'upstream',
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpointFor(protocol),
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=blue',
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      const got = receiver.exports.slice(from);
      assert.equal(got.length, 1);
      assert.equal(got[0]!.transport, protocol === 'grpc' ? 'grpc' : 'http');
      if (protocol !== 'grpc') assert.equal(got[0]!.contentType, protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
      assert.match(got[0]!.headers['user-agent'] ?? '', UPSTREAM_AGENT, 'sent by upstream, not by our transport');
      assert.equal(got[0]!.headers['x-tenant'], 'blue', 'upstream read OTEL_EXPORTER_OTLP_HEADERS itself');
      assertKnownValues(receiver.pointsSince(from));
    });
  }

  it("a refusing collector gets our delivery chain's drop line, naming the exporter", async () => {
    const refusing = await OtlpReceiver.start({ reply: () => ({ httpStatus: 400 }) });
    try {
      const result = await runApp(fixture('short-app.js'), {
        OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION: 'upstream',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: refusing.httpUrl,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(refusing.arrivals.length >= 1);
      // Upstream's own diag line comes too (its HTTP transport logs the refusal); the drop line is ours.
      assert.match(result.stderr, /^otel-metrics-pipeline: otlp: dropped \d+ data point\(s\): HTTP 400 \(not retryable\)$/m);
    } finally {
      await refusing.close();
    }
  });

  it('a package that is not installed: one line naming what to install, and ours delivers', async () => {
    const from = receiver.exports.length;
    const result = await runApp(fixture('short-app.js'), {
      OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION: 'upstream',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl,
      HIDE_PACKAGES: PACKAGES['http/protobuf'],
    }, ['--require', fixture('hide-packages.js'), '--require', REGISTER]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION=upstream needs @opentelemetry\/exporter-metrics-otlp-proto .*npm install @opentelemetry\/exporter-metrics-otlp-proto.*using the built-in OTLP exporter/);
    const got = receiver.exports.slice(from);
    assert.equal(got.length, 1);
    assert.doesNotMatch(got[0]!.headers['user-agent'] ?? '', UPSTREAM_AGENT);
    assertKnownValues(receiver.pointsSince(from));
  });

  it('an invalid value: one line naming the variable, the value and what is used; ours delivers', async () => {
    const from = receiver.exports.length;
    const result = await runApp(fixture('short-app.js'), {
      OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION: 'upstrem',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl,
    });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /invalid OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION="upstrem" \(expected one of builtin, upstream\); using builtin/);
    const got = receiver.exports.slice(from);
    assert.equal(got.length, 1);
    assert.doesNotMatch(got[0]!.headers['user-agent'] ?? '', UPSTREAM_AGENT);
  });
});
