import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { PrometheusPullReader } from '../../exporters/prometheus/prometheus-pull-reader';
import { PrometheusSerializer } from '../../exporters/prometheus/prometheus-serializer';
import { registerCollector } from '../../instrumentation/custom-collector';
import { gaugeFunc } from '../../instrumentation/gauge-func';
import { ConfigError } from '../../core/errors';

function setup() {
  const reader = new PrometheusPullReader({ preventServerStart: true, withoutTargetInfo: true, withoutScopeInfo: true });
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('collectors');
  const text = async () => new PrometheusSerializer({ withoutTargetInfo: true, withoutScopeInfo: true }).serializeToString((await reader.collect()).resourceMetrics as ResourceMetrics);
  return { meter, text, provider };
}

describe('registerCollector', () => {
  it('reads the app\'s own values at collection time, one callback for all its metrics', async () => {
    const { meter, text, provider } = setup();
    const queue = ['a', 'b', 'c'];
    let calls = 0;
    registerCollector({
      metrics: [
        { name: 'queue.length', unit: '{item}', description: 'Items waiting' },
        { name: 'queue.processed', kind: 'counter', unit: '{item}', description: 'Items done' },
      ],
      collect(observe) {
        calls++;
        observe('queue.length', queue.length, { queue: 'main' });
        observe('queue.processed', 10, { queue: 'main' });
      },
    }, { meter });
    assert.match(await text(), /^queue_length\{queue="main"\} 3$/m);
    queue.pop();
    const second = await text();
    assert.match(second, /^queue_length\{queue="main"\} 2$/m);
    assert.match(second, /^queue_processed_total\{queue="main"\} 10$/m);
    assert.equal(calls, 2);
    await provider.shutdown();
  });

  it('a throwing collect is a missing value, not an exception; unregister stops it', async () => {
    const { meter, text, provider } = setup();
    const reg = registerCollector({ metrics: [{ name: 'flaky' }], collect() { throw new Error('boom'); } }, { meter });
    assert.doesNotMatch(await text(), /^flaky /m);
    reg.unregister();
    reg.unregister();
    await provider.shutdown();
  });

  it('bad descriptions throw ConfigError naming the problem', () => {
    const { meter } = setup();
    assert.throws(() => registerCollector({ metrics: [], collect() {} }, { meter }), ConfigError);
    assert.throws(() => registerCollector({ metrics: [{ name: 'a' }, { name: 'a' }], collect() {} }, { meter }), /listed twice/);
    assert.throws(() => registerCollector({ metrics: [{ name: 'a', kind: 'summary' as never }], collect() {} }, { meter }), /kind of a/);
  });
});

describe('gaugeFunc', () => {
  it('observes fn() on every collection, sync or async', async () => {
    const { meter, text, provider } = setup();
    const cache = new Map([['k', 1]]);
    gaugeFunc('cache.entries', () => cache.size, { meter, description: 'Entries' });
    gaugeFunc('pool.free', async () => 4, { meter, attributes: { pool: 'db' } });
    assert.match(await text(), /^cache_entries 1$/m);
    cache.set('j', 2);
    const out = await text();
    assert.match(out, /^cache_entries 2$/m);
    assert.match(out, /^pool_free\{pool="db"\} 4$/m);
    await provider.shutdown();
  });
});
