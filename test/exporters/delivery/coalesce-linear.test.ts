import assert from 'node:assert/strict';
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { coalesce } from '../../../exporters/delivery/coalesce';
import { streamKeys, type StreamKeys } from '../../../exporters/delivery/stream-keys';

/** `metrics` delta counters of `points` series each, as one collection. */
function collection(metrics: number, points: number, value: number): ResourceMetrics {
  const list: MetricData[] = [];
  for (let m = 0; m < metrics; m++) {
    list.push({
      descriptor: { name: `c${m}`, description: '', unit: '1', valueType: 1 } as MetricData['descriptor'],
      dataPointType: DataPointType.SUM,
      aggregationTemporality: AggregationTemporality.DELTA,
      isMonotonic: true,
      dataPoints: Array.from({ length: points }, (_, p) => ({ startTime: [m, 0], endTime: [m + 1, 0], attributes: { series: p }, value })),
    } as MetricData);
  }
  return { resource: { attributes: { 'service.name': 's' } }, scopeMetrics: [{ scope: { name: 'app' }, metrics: list }] } as unknown as ResourceMetrics;
}

function counting(): { keys: StreamKeys; calls: { metric: number; attributes: number } } {
  const calls = { metric: 0, attributes: 0 };
  return {
    calls,
    keys: {
      scopeKey: streamKeys.scopeKey,
      metricKey: (m) => { calls.metric++; return streamKeys.metricKey(m); },
      attributesKey: (a) => { calls.attributes++; return streamKeys.attributesKey(a); },
    },
  };
}

describe('coalesce is linear in the points', () => {
  it('10,000 metrics × 10 points: one metricKey per metric of each batch, one attributesKey per point', () => {
    const { keys, calls } = counting();
    const { merged, leftover } = coalesce(collection(10_000, 10, 1), collection(10_000, 10, 2), keys);
    assert.equal(leftover, undefined);
    // A findIndex per metric would make 10,000 × 10,000 / 2 calls.
    assert.equal(calls.metric, 20_000);
    assert.equal(calls.attributes, 200_000 + 2);
    const first = merged.scopeMetrics[0]!.metrics[0]!;
    assert.equal(merged.scopeMetrics[0]!.metrics.length, 10_000);
    assert.equal(first.dataPoints.length, 10);
    assert.equal(first.dataPoints[0]!.value, 3, 'deltas add');
  });

  it('the count grows with the size, not its square', () => {
    const per = (metrics: number) => {
      const { keys, calls } = counting();
      coalesce(collection(metrics, 10, 1), collection(metrics, 10, 1), keys);
      return calls.metric / metrics;
    };
    assert.equal(per(1_000), per(10_000));
  });

  it('a batch naming one scope twice (merged split pieces) loses nothing', () => {
    const a = collection(2, 1, 1);
    const twice = { resource: a.resource, scopeMetrics: [{ scope: a.scopeMetrics[0]!.scope, metrics: [a.scopeMetrics[0]!.metrics[0]!] }, { scope: a.scopeMetrics[0]!.scope, metrics: [a.scopeMetrics[0]!.metrics[1]!] }] } as ResourceMetrics;
    const { merged } = coalesce(twice, collection(2, 1, 5));
    const values = merged.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m.dataPoints[0]!.value]);
    assert.deepEqual(Object.fromEntries(values), { c0: 6, c1: 6 });
  });
});
