import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ThreadMeterProvider } from '../../../src/pipeline/threads/thread-meter-provider';

describe('ThreadMeterProvider', () => {
  it('hands over what was recorded since the last take, once', () => {
    const provider = new ThreadMeterProvider(() => {});
    const meter = provider.getMeter('m', '1');
    const counter = meter.createCounter('c');
    counter.add(2, { a: 'x', b: 'y' });
    counter.add(3, { b: 'y', a: 'x' });
    counter.add(-1); // not a counter's value: ignored
    meter.createGauge('g').record(4);
    meter.createGauge('g').record(6);
    meter.createHistogram('h', { advice: { explicitBucketBoundaries: [1] } }).record(0.5);
    const taken = provider.take();
    assert.deepEqual(taken.map((i) => [i.name, i.kind, i.points]), [
      ['c', 'counter', [{ attributes: { a: 'x', b: 'y' }, value: 5 }]],
      ['g', 'gauge', [{ attributes: {}, value: 6 }]],
      ['h', 'histogram', [{ attributes: {}, value: [0.5] }]],
    ]);
    assert.deepEqual(taken[2]!.bounds, [1]);
    assert.deepEqual(provider.take(), []);
  });

  it('reads observable counters as deltas of their observations', () => {
    const provider = new ThreadMeterProvider(() => {});
    let value = 5;
    provider.getMeter('m').createObservableCounter('o').addCallback((r) => r.observe(value));
    assert.deepEqual(provider.take()[0]!.points, [{ attributes: {}, value: 5 }]);
    value = 8;
    assert.deepEqual(provider.take()[0]!.points, [{ attributes: {}, value: 3 }]);
    assert.deepEqual(provider.take(), []);
  });

  it('asks for an early post when a histogram series holds many values', () => {
    let overflows = 0;
    const provider = new ThreadMeterProvider(() => { overflows++; });
    const h = provider.getMeter('m').createHistogram('h');
    for (let i = 0; i < 5000; i++) h.record(i);
    assert.equal(overflows > 0, true);
  });
});
