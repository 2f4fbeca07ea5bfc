import assert from 'node:assert/strict';
import { AggregationTemporality, AggregationType, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type ExponentialHistogram, type Histogram, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { countPoints, estimateBytes } from '../../../exporters/delivery/batch-size';
import { coalesce } from '../../../exporters/delivery/coalesce';

/** Records `rounds` rounds, collecting a batch after each, with the given temporality. */
async function batches(temporality: AggregationTemporality, rounds: Array<(p: MeterProvider) => void>, exponential = false): Promise<ResourceMetrics[]> {
  const exporter = new InMemoryMetricExporter(temporality);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 600_000 });
  const provider = new MeterProvider({
    readers: [reader],
    views: exponential ? [{ instrumentName: 'lat', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }] : [],
  });
  for (const round of rounds) {
    round(provider);
    await reader.forceFlush();
  }
  const collected = [...exporter.getMetrics()];
  await provider.shutdown();
  return collected;
}

const record = (route: string, n: number, latency: number[]) => (p: MeterProvider) => {
  const m = p.getMeter('t');
  m.createCounter('req').add(n, { route });
  const h = m.createHistogram('lat', { advice: { explicitBucketBoundaries: [1, 10, 100] } });
  for (const v of latency) h.record(v, { route });
  m.createObservableGauge('temp').addCallback((r) => r.observe(n));
};

function metric(rm: ResourceMetrics, name: string) {
  const m = rm.scopeMetrics.flatMap((s) => s.metrics).find((x) => x.descriptor.name === name);
  assert.ok(m, `no ${name}`);
  return m;
}

function mergeAll(list: ResourceMetrics[]): ResourceMetrics {
  return list.slice(1).reduce((acc, b) => {
    const { merged, leftover } = coalesce(acc, b);
    assert.equal(leftover, undefined);
    return merged;
  }, list[0]!);
}

describe('coalesce', () => {
  it('adds delta sums and delta histograms bucket by bucket; the merged window spans both', async () => {
    const list = await batches(AggregationTemporality.DELTA, [record('/a', 1, [0.5, 5]), record('/a', 2, [50]), record('/b', 4, [500])]);
    const merged = mergeAll(list);
    const req = metric(merged, 'req');
    const byRoute = Object.fromEntries(req.dataPoints.map((p) => [p.attributes.route, p.value]));
    assert.deepEqual(byRoute, { '/a': 3, '/b': 4 });
    const a = metric(merged, 'lat').dataPoints.find((p) => p.attributes.route === '/a')!;
    const h = a.value as Histogram;
    assert.deepEqual(h.buckets.counts, [1, 1, 1, 0]);
    assert.equal(h.count, 3);
    assert.equal(h.sum, 55.5);
    assert.equal(h.min, 0.5);
    assert.equal(h.max, 50);
    // Compare each stream with itself: the histogram's window starts when the histogram's did.
    const first = metric(list[0]!, 'lat').dataPoints[0]!;
    const last = metric(list[1]!, 'req').dataPoints[0]!;
    assert.deepEqual(a.startTime, first.startTime);
    assert.deepEqual(req.dataPoints.find((p) => p.attributes.route === '/a')!.endTime, last.endTime);
    // Gauges keep the last value.
    assert.equal(metric(merged, 'temp').dataPoints[0]!.value, 4);
  });

  it('keeps the newest cumulative point', async () => {
    const list = await batches(AggregationTemporality.CUMULATIVE, [record('/a', 1, [1]), record('/a', 2, [2]), record('/a', 3, [3])]);
    const merged = mergeAll(list);
    assert.equal(metric(merged, 'req').dataPoints[0]!.value, 6);
    assert.equal((metric(merged, 'lat').dataPoints[0]!.value as Histogram).count, 3);
    assert.equal(countPoints(merged), countPoints(list[2]!));
  });

  it('merging is lossless for deltas whatever the grouping', async () => {
    const rounds = Array.from({ length: 20 }, (_, i) => record(`/r${i % 3}`, i + 1, [i, i * 10]));
    const list = await batches(AggregationTemporality.DELTA, rounds);
    const total = (rm: ResourceMetrics) => metric(rm, 'req').dataPoints.reduce((s, p) => s + (p.value as number), 0);
    assert.equal(total(mergeAll(list)), list.reduce((s, b) => s + total(b), 0));
    assert.equal(total(mergeAll(list)), 210);
  });

  it('aligns exponential histograms of different scales', async () => {
    const fine = Array.from({ length: 10 }, (_, i) => 1 + i / 100);
    const wide = [0.001, 1000, 1e6];
    const list = await batches(AggregationTemporality.DELTA, [record('/a', 1, fine), record('/a', 1, wide)], true);
    const [a, b] = list.map((rm) => metric(rm, 'lat').dataPoints[0]!.value as ExponentialHistogram);
    assert.notEqual(a!.scale, b!.scale);
    const merged = metric(mergeAll(list), 'lat');
    assert.equal(merged.dataPointType, DataPointType.EXPONENTIAL_HISTOGRAM);
    const h = merged.dataPoints[0]!.value as ExponentialHistogram;
    assert.equal(h.scale, Math.min(a!.scale, b!.scale));
    assert.equal(h.count, 13);
    assert.equal(h.positive.bucketCounts.reduce((x, y) => x + y, 0) + h.zeroCount, 13);
    assert.equal(h.min, 0.001);
    assert.equal(h.max, 1e6);
    // Every value still falls inside the bucket it was counted in.
    const base = Math.pow(2, Math.pow(2, -h.scale));
    for (const v of [...fine, ...wide]) {
      const index = Math.ceil(Math.log(v) / Math.log(base)) - 1;
      assert.ok(h.positive.bucketCounts[index - h.positive.offset]! > 0, `value ${v} index ${index}`);
    }
  });

  it('leaves conflicting points over: a cumulative restart or another resource', async () => {
    const [a] = await batches(AggregationTemporality.CUMULATIVE, [record('/a', 1, [1])]);
    const [b] = await batches(AggregationTemporality.CUMULATIVE, [record('/a', 5, [1])]);
    const { merged, leftover } = coalesce(a!, b!);
    assert.equal(metric(merged, 'req').dataPoints[0]!.value, 1);
    assert.ok(leftover);
    assert.equal(metric(leftover, 'req').dataPoints[0]!.value, 5);
  });

  it('does not modify its inputs', async () => {
    const list = await batches(AggregationTemporality.DELTA, [record('/a', 1, [1]), record('/a', 2, [2])]);
    const before = JSON.stringify(list.map((l) => l.scopeMetrics));
    coalesce(list[0]!, list[1]!);
    assert.equal(JSON.stringify(list.map((l) => l.scopeMetrics)), before);
  });

  it('estimates bytes that grow with points', async () => {
    const [small] = await batches(AggregationTemporality.DELTA, [record('/a', 1, [1])]);
    const [big] = await batches(AggregationTemporality.DELTA, [(p) => { for (let i = 0; i < 100; i++) record(`/r${i}`, 1, [1])(p); }]);
    assert.ok(estimateBytes(big!) > 20 * estimateBytes(small!) / 2);
  });
});
