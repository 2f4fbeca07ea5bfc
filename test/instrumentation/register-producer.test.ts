import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { EnvReader } from '../../core/env-reader';
import { ConfigError } from '../../core/errors';
import { createProducers, instrumentationNames, registerProducer, resolveInstrumentations } from '../../instrumentation/registry';
import { startMetrics } from '../../src/index';
import { fixture, runApp } from '../helpers/spawn-app';
import { OtlpReceiver } from '../helpers/otlp-receiver';

describe('registerProducer mirrors registerExporter', () => {
  it('a registered name is selected like a built-in, and its factory gets the env reader and its code options', () => {
    const seen: unknown[] = [];
    registerProducer('test-depth', (env, options) => {
      seen.push(env.count('TEST_DEPTH_EVERY', 5), options);
      return { name: 'test-depth', start() {}, stop() {} };
    });
    assert.ok(instrumentationNames().includes('test-depth'));
    const env = new EnvReader({ OTEL_METRICS_INSTRUMENTATIONS: 'process,test-depth', TEST_DEPTH_EVERY: '7' }, () => {});
    assert.deepEqual(resolveInstrumentations(env), ['process', 'test-depth']);
    const producers = createProducers(['test-depth'], { 'test-depth': { big: true } }, env);
    assert.deepEqual(producers.map((p) => p.name), ['test-depth']);
    assert.deepEqual(seen, [7, { big: true }]);
  });

  it('refuses invalid, reserved and built-in names with ConfigError', () => {
    const factory = () => ({ name: 'x', start() {}, stop() {} });
    for (const name of ['', 'Bad Name', 'all', 'none', 'system', 'http']) {
      assert.throws(() => registerProducer(name, factory), ConfigError, name);
    }
    assert.throws(() => registerProducer('ok-name', 42 as never), ConfigError);
  });

  it('an unknown instrumentation name in code throws ConfigError naming it, before anything starts', () => {
    assert.throws(() => startMetrics({ env: {}, instrumentations: ['sytem' as 'system'], setGlobal: false, flushOnExit: false, exporters: ['console'] }), (err: Error) => err instanceof ConfigError && /instrumentations: unknown name "sytem"/.test(err.message));
  });

  it('under the preload, a producer the app registers during start-up is started and exported', async () => {
    const receiver = await OtlpReceiver.start();
    try {
      const result = await runApp(fixture('producer-app.js'), {
        OTEL_METRICS_INSTRUMENTATIONS: 'process,queue-depth',
        QUEUE_DEPTH_VALUE: '12',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /unknown/);
      const depth = receiver.points().filter((p) => p.metric === 'app.queue.depth');
      assert.equal(depth.at(-1)?.value, 12, result.stderr);
    } finally {
      await receiver.close();
    }
  });
});
