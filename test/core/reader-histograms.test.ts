import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { ReaderHistograms, recordInto } from '../../core/reader-histograms';
import { temporalitySelector } from '../../core/temporality';

const reader = (preference: 'cumulative' | 'delta') => ({ selectAggregationTemporality: temporalitySelector(preference) });
const DESCRIPTOR = { name: 'd', unit: 's', description: '', valueType: ValueType.DOUBLE };
const t = (s: number): [number, number] => [s, 0];

describe('ReaderHistograms', () => {
  it('buckets are upper-inclusive, NaN is dropped, min and max kept', () => {
    const h = new ReaderHistograms([1, 2]);
    const c = h.cell({ k: 'v' });
    for (const v of [1, 1.5, 2, 3, Number.NaN]) recordInto(c, h.bounds, v);
    const m = h.collect(reader('cumulative'), DESCRIPTOR, t(10)) as HistogramMetricData;
    assert.deepEqual(m.dataPoints[0].value, { buckets: { boundaries: [1, 2], counts: [1, 2, 1] }, sum: 7.5, count: 4, min: 1, max: 3 });
    assert.deepEqual(m.dataPoints[0].attributes, { k: 'v' });
  });

  it('gives each reader its own temporality from one recording', () => {
    const h = new ReaderHistograms([1]);
    const c = h.cell({});
    const delta = reader('delta');
    const cumulative = reader('cumulative');
    recordInto(c, h.bounds, 0.5);
    const d1 = h.collect(delta, DESCRIPTOR, t(10)) as HistogramMetricData;
    recordInto(c, h.bounds, 5);
    const d2 = h.collect(delta, DESCRIPTOR, t(20)) as HistogramMetricData;
    const c1 = h.collect(cumulative, DESCRIPTOR, t(20)) as HistogramMetricData;
    assert.equal(d1.aggregationTemporality, AggregationTemporality.DELTA);
    assert.deepEqual([d2.dataPoints[0].value.count, d2.dataPoints[0].value.min], [1, 5]);
    assert.deepEqual(d2.dataPoints[0].startTime, t(10), 'a delta series reported last time starts at that collection');
    assert.equal(c1.aggregationTemporality, AggregationTemporality.CUMULATIVE);
    assert.deepEqual([c1.dataPoints[0].value.count, c1.dataPoints[0].value.min, c1.dataPoints[0].value.max], [2, 0.5, 5]);
    assert.equal(h.collect(delta, DESCRIPTOR, t(30)), undefined, 'nothing new: no point');
    assert.equal((h.collect(cumulative, DESCRIPTOR, t(30)) as HistogramMetricData).dataPoints[0].value.count, 2);
  });
});
