import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createRuntimeProducer } from '../../instrumentation/runtime-producer';
import { harness, value } from '../helpers/metric-collect';

const block = (ms: number) => { const end = performance.now() + ms; while (performance.now() < end) { /* block the loop */ } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WINDOW = 1000;

/** Runs one window with the loop blocked `blockMillis` once inside it; returns the completed window's figures. */
async function windowWithBlock(blockMillis: number, resolutionMillis: number) {
  const h = harness([createRuntimeProducer({ eventLoopWindowMillis: WINDOW, eventLoopResolutionMillis: resolutionMillis })]);
  try {
    await sleep(300);
    if (blockMillis > 0) block(blockMillis);
    await sleep(WINDOW + 150 - 300 - blockMillis); // the window holding the block completes, the next does not
    const c = await h.collect();
    const stat = (s: string) => value(c, `nodejs.eventloop.delay.${s}`)! * 1000;
    return { p50: stat('p50'), p99: stat('p99'), max: stat('max'), min: stat('min'), utilization: value(c, 'nodejs.eventloop.utilization')! };
  } finally {
    await h.close();
  }
}

// The delay is the lateness of a timer the loop should have run, not the sampling period:
// a blocked stretch of B ms reads between B minus the period and B (plus scheduling noise on a
// shared machine, hence the upper tolerance); the lower bounds are exact.
describe('event-loop delay against known blocking', () => {
  it('an idle loop reads under 5 ms at the default 100 ms resolution, next to a low utilization', async () => {
    const r = await windowWithBlock(0, 100);
    assert.ok(r.min >= 0, `min ${r.min}`);
    assert.ok(r.p50 < 5, `idle p50 ${r.p50} ms (the sampling period must not be in it)`);
    assert.ok(r.utilization < 0.2, `idle utilization ${r.utilization}`);
  });

  // At 20 ms resolution the block is one sample in ~50 (2 %), so p99 shows it; a block shorter than
  // the period can fall between two samples, which is why this case samples finer than the default.
  it('a 50 ms block shows at p99 and max at 20 ms resolution; utilization counts it', async () => {
    const r = await windowWithBlock(50, 20);
    assert.ok(r.max >= 50 - 20 && r.max < 50 + 60, `max ${r.max} ms`);
    assert.ok(r.p99 >= 50 - 20 && r.p99 <= r.max, `p99 ${r.p99} ms`);
    assert.ok(r.p50 < 5, `p50 ${r.p50} ms: the other samples are on time`);
    assert.ok(r.utilization >= 0.045, `utilization ${r.utilization}`);
  });

  it('a loop blocked 200 ms in a 1 s window shows it at p99 at the default resolution; utilization ~0.2 agrees', async () => {
    const r = await windowWithBlock(200, 100);
    assert.ok(r.p99 >= 200 - 100 && r.p99 < 200 + 60, `p99 ${r.p99} ms`);
    assert.ok(r.p50 < 5, `p50 ${r.p50} ms`);
    assert.ok(r.utilization >= 0.19 && r.utilization < 0.6, `utilization ${r.utilization}`);
  });
});
