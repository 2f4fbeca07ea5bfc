import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AggregationTemporality, DataPointType, type MetricData, type ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { ValueType } from '@opentelemetry/api';
import { mergeClusterMetrics } from '../../../src/pipeline/cluster/merge-cluster-metrics';
import { CarriedTotals } from '../../../src/pipeline/cluster/carried-totals';
import type { MetricsPart } from '../../../src/pipeline/cluster/metrics-part';

const T: [number, number] = [1, 0];
function metric(name: string, type: 'counter' | 'updown' | 'gauge' | 'histogram', points: Array<[Record<string, string>, number | number[]]>): MetricData {
  const descriptor = { name, description: '', unit: '', valueType: ValueType.DOUBLE };
  const dataPoints = points.map(([attributes, v]) => ({
    startTime: T, endTime: T, attributes,
    value: Array.isArray(v) ? { buckets: { boundaries: [1, 10], counts: v }, count: v.reduce((a, b) => a + b, 0), sum: v.length, min: 0, max: 20 } : v,
  }));
  if (type === 'gauge') return { descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints } as MetricData;
  if (type === 'histogram') return { descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.HISTOGRAM, dataPoints } as MetricData;
  return { descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: type === 'counter', dataPoints } as MetricData;
}
const part = (instanceId: string, ...metrics: MetricData[]): MetricsPart => ({ instanceId, scopeMetrics: [{ scope: { name: 's' }, metrics }] });
const find = (scopes: ScopeMetrics[], name: string) => scopes[0]!.metrics.find((m) => m.descriptor.name === name)!;
const values = (m: MetricData) => m.dataPoints.map((p) => [p.attributes, p.value]);

describe('mergeClusterMetrics', () => {
  it('sums counters, up-down counters and same-bound histograms point by point', () => {
    const out = mergeClusterMetrics([
      part('a', metric('c', 'counter', [[{ r: '/x' }, 2], [{ r: '/y' }, 1]]), metric('u', 'updown', [[{}, -1]]), metric('h', 'histogram', [[{}, [1, 2, 3]]])),
      part('b', metric('c', 'counter', [[{ r: '/x' }, 5]]), metric('u', 'updown', [[{}, 4]]), metric('h', 'histogram', [[{}, [1, 1, 1]]])),
    ], { '*': 'label' });
    assert.deepEqual(values(find(out, 'c')), [[{ r: '/x' }, 7], [{ r: '/y' }, 1]]);
    assert.deepEqual(values(find(out, 'u')), [[{}, 3]]);
    assert.deepEqual(find(out, 'h').dataPoints[0]!.value, { buckets: { boundaries: [1, 10], counts: [2, 3, 4] }, count: 9, sum: 6, min: 0, max: 20 });
  });

  it('keeps gauges and process/runtime metrics per instance; system metrics once', () => {
    const out = mergeClusterMetrics([
      part('a', metric('g', 'gauge', [[{}, 1]]), metric('process.cpu.time', 'counter', [[{}, 2]]), metric('system.cpu.time', 'counter', [[{}, 9]])),
      part('b', metric('g', 'gauge', [[{}, 3]]), metric('process.cpu.time', 'counter', [[{}, 4]]), metric('system.cpu.time', 'counter', [[{}, 9]])),
    ], { '*': 'label' });
    assert.deepEqual(values(find(out, 'g')), [[{ 'service.instance.id': 'a' }, 1], [{ 'service.instance.id': 'b' }, 3]]);
    assert.deepEqual(values(find(out, 'process.cpu.time')), [[{ 'service.instance.id': 'a' }, 2], [{ 'service.instance.id': 'b' }, 4]]);
    assert.deepEqual(values(find(out, 'system.cpu.time')), [[{}, 9]]);
  });

  it('aggregates a gauge by the method its name declares', () => {
    const parts = [part('a', metric('q', 'gauge', [[{}, 1]]), metric('p', 'gauge', [[{}, 5]])), part('b', metric('q', 'gauge', [[{}, 3]]), metric('p', 'gauge', [[{}, 2]]))];
    const out = mergeClusterMetrics(parts, { '*': 'max', q: 'sum' });
    assert.deepEqual(values(find(out, 'q')), [[{}, 4]]);
    assert.deepEqual(values(find(out, 'p')), [[{}, 5]]);
    assert.deepEqual(values(find(mergeClusterMetrics(parts, { '*': 'min' }), 'p')), [[{}, 2]]);
  });

  it('keeps a histogram whose bounds differ as its own labelled series', () => {
    const other = metric('h', 'histogram', [[{}, [1, 1, 1]]]);
    (other.dataPoints[0]!.value as { buckets: { boundaries: number[] } }).buckets.boundaries = [5, 50];
    const out = mergeClusterMetrics([part('a', metric('h', 'histogram', [[{}, [1, 2, 3]]])), part('b', other)], { '*': 'label' });
    assert.equal(find(out, 'h').dataPoints.length, 2);
    assert.equal(find(out, 'h').dataPoints[1]!.attributes['service.instance.id'], 'b');
  });
});

describe('CarriedTotals', () => {
  it("folds a departed worker's counters and histograms into the total, not its gauges or up-down counters", () => {
    const totals = new CarriedTotals({ '*': 'label' });
    totals.answered(1, part('w1', metric('c', 'counter', [[{}, 5]]), metric('u', 'updown', [[{}, 2]]), metric('g', 'gauge', [[{}, 7]]), metric('h', 'histogram', [[{}, [1, 0, 0]]])));
    totals.departed(1);
    totals.answered(2, part('w2', metric('c', 'counter', [[{}, 3]])));
    totals.departed(2);
    const carried = totals.part().scopeMetrics;
    assert.deepEqual(values(find(carried, 'c')), [[{}, 8]]);
    assert.equal(find(carried, 'h').dataPoints.length, 1);
    assert.equal(carried[0]!.metrics.some((m) => m.descriptor.name === 'g' || m.descriptor.name === 'u'), false);
  });

  it('stands in for a worker that did not answer with its last counters only', () => {
    const totals = new CarriedTotals({ '*': 'label' });
    totals.answered(1, part('w1', metric('c', 'counter', [[{}, 5]]), metric('g', 'gauge', [[{}, 7]])));
    totals.answered(2, part('w2', metric('c', 'counter', [[{}, 1]])));
    const stand = totals.standIns(new Set([2]));
    assert.equal(stand.length, 1);
    assert.deepEqual(stand[0]!.scopeMetrics[0]!.metrics.map((m) => m.descriptor.name), ['c']);
  });
});
