import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeriesRing } from '../../src/dashboard/series-ring';

describe('SeriesRing', () => {
  it('grows by doubling up to its capacity, then overwrites the oldest, in order', () => {
    const ring = new SeriesRing(20, 2);
    const overwritten: Array<number | undefined> = [];
    for (let i = 1; i <= 25; i++) overwritten.push(ring.push(i, [i * 10, -i]));
    assert.equal(ring.size, 20);
    assert.equal(ring.bytes, 20 * 3 * 8);
    const { t, v } = ring.read(0, 0);
    assert.deepEqual(t, Array.from({ length: 20 }, (_, k) => k + 6));
    assert.deepEqual(v[0], t.map((x) => x * 10));
    assert.deepEqual(v[1], t.map((x) => -x));
    assert.deepEqual(overwritten.slice(0, 20), new Array(20).fill(undefined));
    assert.deepEqual(overwritten.slice(20), [1, 2, 3, 4, 5]);
  });

  it('reads only what came after a cursor, and nothing older than `since`', () => {
    const ring = new SeriesRing(4, 1);
    for (let i = 1; i <= 3; i++) ring.push(i, [i]);
    const cursor = ring.written;
    ring.push(4, [4]);
    ring.push(5, [5]);
    assert.deepEqual(ring.read(cursor, 0).t, [4, 5]);
    assert.deepEqual(ring.read(0, 3).t, [3, 4, 5]);
  });
});
