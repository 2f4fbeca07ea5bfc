import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createRuntimeProducer } from '../../instrumentation/runtime-producer';
import { harness, points, value } from '../helpers/metric-collect';

const block = (ms: number) => { const end = Date.now() + ms; while (Date.now() < end) { /* block the loop */ } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runtime producer', () => {
  it('two readers at different cadences read the same completed window; cumulative time grows', async () => {
    const h = harness([createRuntimeProducer({ eventLoopWindowMillis: 300, eventLoopResolutionMillis: 10 })], 2);
    try {
      await sleep(50);
      block(120);
      // Wait for the window holding the block to complete (a loaded machine can stretch the
      // 300 ms windows, so a fixed sleep could land a window late and read the one after it).
      let a1 = await h.collect(0);
      for (let i = 0; i < 200 && !((value(a1, 'nodejs.eventloop.delay.max') ?? 0) >= 0.1); i++) {
        await sleep(10);
        a1 = await h.collect(0);
      }
      const a2 = await h.collect(0); // a reader collecting again at once must not shrink the window
      const b = await h.collect(1);
      const max = value(a1, 'nodejs.eventloop.delay.max')!;
      assert.ok(max >= 0.1 && max < 1, `max ${max} shows the 120 ms block`);
      assert.equal(value(a2, 'nodejs.eventloop.delay.max'), max);
      assert.equal(value(b, 'nodejs.eventloop.delay.max'), max);
      for (const s of ['min', 'mean', 'p50', 'p90', 'p99', 'stddev']) assert.ok(value(a1, `nodejs.eventloop.delay.${s}`)! >= 0, s);
      assert.ok(value(a1, 'nodejs.eventloop.delay.p99')! <= max);
      const u = value(a1, 'nodejs.eventloop.utilization')!;
      assert.ok(u >= 0 && u <= 1);
      const active1 = value(a1, 'nodejs.eventloop.time', { 'nodejs.eventloop.state': 'active' })!;
      block(20);
      const a3 = await h.collect(0);
      assert.ok(value(a3, 'nodejs.eventloop.time', { 'nodejs.eventloop.state': 'active' })! > active1);
    } finally {
      await h.close();
    }
  });

  it('reports GC pauses by type, heap spaces and active resources', async () => {
    const h = harness([createRuntimeProducer()]);
    try {
      const junk: unknown[] = [];
      for (let i = 0; i < 200_000; i++) junk.push({ i, s: `x${i}` });
      junk.length = 0;
      await sleep(50);
      const timer = setTimeout(() => {}, 10_000);
      const c = await h.collect();
      clearTimeout(timer);
      const gc = points(c, 'v8js.gc.duration');
      assert.ok(gc.some((p) => p.attributes['v8js.gc.type'] === 'minor'), 'minor GC recorded');
      assert.ok(value(c, 'v8js.memory.heap.used', { 'v8js.heap.space.name': 'old_space' })! > 0);
      assert.ok(value(c, 'v8js.memory.heap.space.size', { 'v8js.heap.space.name': 'new_space' })! > 0);
      assert.ok(value(c, 'v8js.resource.active', { 'v8js.resource.type': 'Timeout' })! >= 1);
    } finally {
      await h.close();
    }
  });
});
