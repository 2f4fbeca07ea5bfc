import assert from 'node:assert/strict';
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MetricReader } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { ConfigError, exporterNames, registerExporter, startMetrics } from '../src/index';
import { OtlpReceiver } from './helpers/otlp-receiver';

describe('startMetrics', () => {
  it('pushes to any PushMetricExporter passed in, and options override env', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const handle = startMetrics({
      exporters: [exporter],
      setGlobal: false,
      flushOnExit: false,
      serviceName: 'code-svc',
      env: { OTEL_METRICS_EXPORTER: 'console', OTEL_SERVICE_NAME: 'env-svc' },
    });
    handle.meterProvider.getMeter('m').createCounter('c').add(5);
    await handle.forceFlush();
    const rm = exporter.getMetrics().at(-1)!;
    assert.equal(rm.resource.attributes['service.name'], 'code-svc');
    assert.equal(rm.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!.value, 5);
    assert.equal(await handle.shutdown(), true);
    // Idempotent: the same promise, no second export.
    const count = exporter.getMetrics().length;
    assert.equal(await handle.shutdown(), true);
    assert.equal(exporter.getMetrics().length, count);
  });

  it('uses a MetricReader passed in as it is', async () => {
    class ManualReader extends MetricReader {
      protected async onShutdown() {}
      protected async onForceFlush() {}
    }
    const reader = new ManualReader();
    const handle = startMetrics({ exporters: [reader], setGlobal: false, flushOnExit: false, env: {} });
    handle.meterProvider.getMeter('m').createCounter('pulled').add(2);
    const { resourceMetrics } = await reader.collect();
    assert.equal(resourceMetrics.scopeMetrics[0]!.metrics[0]!.descriptor.name, 'pulled');
    await handle.shutdown();
  });

  it('sends OTLP to the configured endpoint from code', async () => {
    const receiver = await OtlpReceiver.start();
    try {
      const handle = startMetrics({
        exporters: ['otlp'],
        otlp: { protocol: 'http/json', endpoint: receiver.httpUrl, headers: { 'x-from': 'code' } },
        setGlobal: false,
        flushOnExit: false,
        env: {},
      });
      handle.meterProvider.getMeter('m').createCounter('from.code').add(9);
      await handle.shutdown();
      assert.equal(receiver.exports.at(-1)!.headers['x-from'], 'code');
      assert.equal(receiver.points().find((p) => p.metric === 'from.code')!.value, 9);
    } finally {
      await receiver.close();
    }
  });

  it('registered names are selectable and listed', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    registerExporter('In-Memory', () => exporter);
    assert.ok(exporterNames().includes('in-memory'));
    assert.throws(() => registerExporter('otlp', () => exporter), ConfigError);
    const handle = startMetrics({ setGlobal: false, flushOnExit: false, env: { OTEL_METRICS_EXPORTER: 'in-memory' } });
    handle.meterProvider.getMeter('m').createCounter('d').add(1);
    await handle.shutdown();
    assert.equal(exporter.getMetrics().at(-1)!.scopeMetrics[0]!.metrics[0]!.aggregationTemporality, AggregationTemporality.DELTA);
  });

  it('disabled gives a no-op provider and installs nothing', async () => {
    const handle = startMetrics({ disabled: true });
    handle.meterProvider.getMeter('x').createCounter('y').add(1);
    assert.equal(await handle.shutdown(), true);
    assert.equal(typeof metrics.getMeterProvider().getMeter, 'function');
  });

  it('bad code options throw ConfigError with a code', () => {
    assert.throws(() => startMetrics({ exportIntervalMillis: -1, env: {} }), (e: ConfigError) => e.code === 'ERR_OTEL_METRICS_CONFIG');
  });
});
