import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quantile } from '../../src/dashboard/histogram-math';
import { MetricStore, type MetricMeta } from '../../src/dashboard/metric-store';
import { metricPayload } from '../../src/dashboard/metric-payload';

const SUM: MetricMeta = { name: 'jobs.done', unit: '{job}', description: 'Jobs', kind: 'sum', monotonic: true, temporality: 'cumulative' };
const sender = (store: MetricStore, n = 1) => store.touchInstance(new Map([['service.name', 'svc'], ['service.instance.id', `i${n}`]]), 0);

describe('the dashboard store', () => {
  it('keeps at most maxPointsPerSeries points, drops the oldest and counts those still in the window', () => {
    const store = new MetricStore({ maxPointsPerSeries: 3 });
    const i = sender(store);
    for (let t = 1; t <= 5; t++) store.recordNumber(SUM, i, '', t * 1000, t, t * 1000);
    const s = [...store.metrics.get('jobs.done')!.series.values()][0]!;
    assert.deepEqual(s.ring.read(0, 0), { t: [3000, 4000, 5000], v: [[3, 4, 5]] });
    assert.equal(store.dropped.points, 2);
  });

  it('past maxSeriesPerMetric and maxSeries drops the oldest series and says how many', () => {
    const store = new MetricStore({ maxSeriesPerMetric: 2, maxSeries: 3 });
    const i = sender(store);
    for (const k of ['a', 'b', 'c']) store.recordNumber(SUM, i, `k=${k}`, 1, 1, 1);
    assert.deepEqual([...store.metrics.get('jobs.done')!.series.values()].map((s) => s.label), ['svc · i1 · k=b', 'svc · i1 · k=c']);
    assert.equal(store.dropped.seriesPerMetric, 1);
    for (const name of ['x', 'y']) store.recordNumber({ ...SUM, name }, i, '', 1, 1, 1);
    assert.equal(store.seriesCount, 3);
    assert.equal(store.dropped.series, 1);
    assert.equal(store.metrics.get('jobs.done')!.series.size, 1, 'the oldest series overall (k=b) went');
  });

  it('draws a delta sum as its running total, like a cumulative one', () => {
    const store = new MetricStore();
    const i = sender(store);
    for (const d of [2, 3, 5]) store.recordNumber({ ...SUM, temporality: 'delta' }, i, '', d, d, d);
    const s = [...store.metrics.get('jobs.done')!.series.values()][0]!;
    assert.deepEqual(s.ring.read(0, 0).v[0], [2, 5, 10]);
  });

  it('turns cumulative histogram points into intervals for percentiles and the heatmap', () => {
    const store = new MetricStore();
    const i = sender(store);
    const meta: MetricMeta = { name: 'lat', unit: 'ms', description: '', kind: 'histogram', monotonic: false, temporality: 'cumulative' };
    const bounds = [10, 100];
    store.recordHistogram(meta, i, '', 15_000, 1, 10, 50, bounds, [10, 0, 0], 15_000);
    store.recordHistogram(meta, i, '', 30_000, 1, 20, 600, bounds, [10, 10, 0], 30_000);
    const s = [...store.metrics.get('lat')!.series.values()][0]!;
    const { v } = s.ring.read(0, 0);
    assert.deepEqual(v[0], [10, 10], 'interval counts');
    assert.ok(v[2]![1]! > 10 && v[2]![1]! <= 100, 'second interval p50 lies in the (10, 100] bucket');
    const heat = store.metrics.get('lat')!.heatmap!.read(0);
    assert.deepEqual(heat.counts, [[10, 0, 0], [0, 10, 0]]);
  });

  it('a payload sends only the points a reader has not had, and the series that went', () => {
    const store = new MetricStore({ maxSeriesPerMetric: 1 });
    const i = sender(store);
    store.recordNumber(SUM, i, 'k=a', 1, 1, 1);
    const cursor = new Map<number, number>();
    const first = metricPayload(store.metrics.get('jobs.done')!, cursor, 0) as { fresh: boolean; series: Array<{ t: number[] }> };
    assert.equal(first.fresh, true);
    store.recordNumber(SUM, i, 'k=a', 2, 2, 2);
    const next = metricPayload(store.metrics.get('jobs.done')!, cursor, 0) as { series: Array<{ t: number[]; label?: string }> };
    assert.deepEqual(next.series.map((s) => s.t), [[2]]);
    assert.equal(next.series[0]!.label, undefined, 'a known series is sent without its label');
    store.recordNumber(SUM, i, 'k=b', 3, 3, 3);
    const after = metricPayload(store.metrics.get('jobs.done')!, cursor, 0) as { removed: number[]; series: Array<{ label?: string }> };
    assert.equal(after.removed.length, 1);
    assert.equal(after.series[0]!.label, 'svc · i1 · k=b');
  });

  it('expires series, metrics and senders silent for the whole window', () => {
    const store = new MetricStore({ windowMillis: 1000 });
    store.recordNumber(SUM, sender(store), '', 0, 1, 0);
    store.expire(5000);
    assert.equal(store.seriesCount, 0);
    assert.equal(store.metrics.size, 0);
    assert.equal(store.instances.size, 0);
  });

  it('estimates quantiles inside the bucket, bounded by min and max', () => {
    assert.equal(quantile(0.5, [10, 20], [0, 10, 0]), 15);
    assert.equal(quantile(0.5, [10, 20], [0, 10, 0], 12, 14), 13);
    assert.ok(Number.isNaN(quantile(0.5, [10], [0, 0])));
  });
});
