import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AggregationTemporality, DataPointType, InstrumentType, type HistogramMetricData, type MetricData } from '@opentelemetry/sdk-metrics';
import { DeliveryStats } from '../../exporters/delivery/delivery-stats';
import { SelfMetrics } from '../../src/pipeline/self-metrics';
import { temporalitySelector } from '../../core/temporality';

const reader = (preference: 'cumulative' | 'delta') => ({ selectAggregationTemporality: temporalitySelector(preference) });
const metric = (metrics: MetricData[] | undefined, name: string) => metrics?.find((m) => m.descriptor.name === name);
const histogram = (metrics: MetricData[], name: string) => metric(metrics, name) as HistogramMetricData;

describe('SelfMetrics', () => {
  it('reports nothing for an exporter that has not tried to deliver', () => {
    const self = new SelfMetrics([new DeliveryStats('otlp')]);
    const r = reader('cumulative');
    assert.equal(self.collect(r), undefined);
  });

  it('gives a cumulative and a delta reader each their own temporality from one set of stats', () => {
    const stats = new DeliveryStats('otlp');
    const self = new SelfMetrics([stats]);
    const cumulative = reader('cumulative');
    const delta = reader('delta');

    stats.attempted({ seconds: 0.02, batch: undefined as never, points: 10 });
    stats.delivered(10);
    stats.attempted({ seconds: 2, batch: undefined as never, points: 5, failure: { type: '503' } as never });
    stats.fail('503', 5);
    stats.retrying();

    const c1 = self.collect(cumulative)!;
    const d1 = self.collect(delta)!;
    assert.equal(c1.scope.name, 'otel-metrics-pipeline');
    const exportedC = metric(c1.metrics, 'otel.sdk.exporter.metric_data_point.exported')!;
    assert.equal(exportedC.aggregationTemporality, AggregationTemporality.CUMULATIVE);
    assert.deepEqual(exportedC.dataPoints.map((p) => [p.attributes['error.type'], p.value]), [[undefined, 10], ['503', 5]]);
    const durationD = histogram(d1.metrics, 'otel.sdk.exporter.operation.duration');
    assert.equal(durationD.dataPointType, DataPointType.HISTOGRAM);
    assert.equal(durationD.aggregationTemporality, AggregationTemporality.DELTA);
    const failed = durationD.dataPoints.find((p) => p.attributes['error.type'] === '503')!;
    assert.deepEqual([failed.value.count, failed.value.min, failed.value.max, failed.value.sum], [1, 2, 2, 2]);
    assert.equal((failed.value as { buckets: { counts: number[] } }).buckets.counts[8], 1, '2 s falls in (1, 2.5]');

    // A second interval: one more delivery.
    stats.attempted({ seconds: 0.5, batch: undefined as never, points: 3 });
    stats.delivered(3);
    const c2 = self.collect(cumulative)!;
    const d2 = self.collect(delta)!;
    assert.equal(metric(c2.metrics, 'otel.sdk.exporter.metric_data_point.exported')!.dataPoints[0].value, 13);
    const exportedD = metric(d2.metrics, 'otel.sdk.exporter.metric_data_point.exported')!;
    assert.equal(exportedD.aggregationTemporality, AggregationTemporality.DELTA);
    assert.deepEqual(exportedD.dataPoints.map((p) => p.value), [3, 0]);
    // Delta: each interval starts where the previous one ended; cumulative: all start together.
    assert.deepEqual(exportedD.dataPoints[0].startTime, metric(d1.metrics, 'otel.sdk.exporter.metric_data_point.exported')!.dataPoints[0].endTime);
    assert.deepEqual(metric(c2.metrics, 'otel.sdk.exporter.metric_data_point.exported')!.dataPoints[0].startTime, exportedC.dataPoints[0].startTime);
    const durC = histogram(c2.metrics, 'otel.sdk.exporter.operation.duration').dataPoints.find((p) => p.attributes['error.type'] === undefined)!;
    assert.deepEqual([durC.value.count, durC.value.min, durC.value.max], [2, 0.02, 0.5]);
    const durD = histogram(d2.metrics, 'otel.sdk.exporter.operation.duration').dataPoints;
    assert.deepEqual(durD.map((p) => [p.value.count, p.value.min, p.value.max]), [[1, 0.5, 0.5]], 'the failed series had no attempt this interval');
    assert.equal(metric(d2.metrics, 'otel_metrics_pipeline.queue.size')!.dataPointType, DataPointType.GAUGE);
  });

  it('asks the reader for each kind: lowmemory keeps the counters cumulative and the histogram delta', () => {
    const stats = new DeliveryStats('otlp');
    const self = new SelfMetrics([stats]);
    const r = { selectAggregationTemporality: temporalitySelector('lowmemory') };
    stats.attempted({ seconds: 0.01, batch: undefined as never, points: 1 });
    stats.delivered(1);
    const m = self.collect(r)!.metrics;
    assert.equal(metric(m, 'otel.sdk.exporter.metric_data_point.exported')!.aggregationTemporality, AggregationTemporality.CUMULATIVE);
    assert.equal(metric(m, 'otel.sdk.exporter.operation.duration')!.aggregationTemporality, AggregationTemporality.DELTA);
    assert.equal(r.selectAggregationTemporality(InstrumentType.OBSERVABLE_COUNTER), AggregationTemporality.CUMULATIVE);
  });

  it('times each collection of a reader it was given, named as the SDK names readers', async () => {
    const stats = new DeliveryStats('otlp');
    const self = new SelfMetrics([stats]);
    let fail = false;
    const r = { ...reader('cumulative'), collect: async () => ({ errors: fail ? [new RangeError('x')] : [] }) };
    self.timeCollections(r, 'periodic_metric_reader', true);
    await r.collect();
    assert.equal(self.collect(r), undefined, 'a push reader reports its collections once an exporter tried to deliver');
    stats.attempted({ seconds: 0.01, batch: undefined as never, points: 1 });
    fail = true;
    await r.collect();
    const points = histogram(self.collect(r)!.metrics, 'otel.sdk.metric_reader.collection.duration').dataPoints;
    assert.deepEqual(points.map((p) => [p.attributes['otel.component.name'], p.attributes['error.type'], p.value.count]), [
      ['periodic_metric_reader/0', undefined, 1],
      ['periodic_metric_reader/0', 'RangeError', 1],
    ]);
    assert.deepEqual(points[0].value.buckets.boundaries, [], 'count and sum only, as the SDK records it');

    const pull = { ...reader('cumulative'), collect: async () => { throw new TypeError('closed'); } };
    self.timeCollections(pull, 'PrometheusPullReader', false);
    await assert.rejects(pull.collect(), TypeError);
    const pulled = histogram(self.collect(pull)!.metrics, 'otel.sdk.metric_reader.collection.duration').dataPoints;
    assert.ok(pulled.some((p) => p.attributes['otel.component.name'] === 'PrometheusPullReader/0' && p.attributes['error.type'] === 'TypeError'));
  });
});
