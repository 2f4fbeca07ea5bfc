import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { fromWire, toWire } from '../../../src/pipeline/cluster/wire-metrics';

describe('the cluster wire form', () => {
  it('survives JSON (the cluster IPC channel) back to the SDK shape, undefined histogram fields included', () => {
    const scopes: ScopeMetrics[] = [{
      scope: { name: 's', version: '1' },
      metrics: [{
        descriptor: { name: 'h', description: 'd', unit: 's', valueType: ValueType.DOUBLE },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: [{ startTime: [1, 2], endTime: [3, 4], attributes: { a: 'x' }, value: { buckets: { boundaries: [1], counts: [0, 0] }, count: 0, sum: undefined, min: undefined, max: Infinity } }],
      }],
    }];
    const back = fromWire(JSON.parse(JSON.stringify(toWire(scopes))));
    const point = back[0]!.metrics[0]!.dataPoints[0]!;
    assert.deepEqual(point.startTime, [1, 2]);
    assert.deepEqual(point.endTime, [3, 4]);
    assert.deepEqual(point.attributes, { a: 'x' });
    const h = point.value as { buckets: unknown; count: number; sum?: number; min?: number; max?: number };
    assert.deepEqual([h.buckets, h.count, h.sum, h.min, h.max], [{ boundaries: [1], counts: [0, 0] }, 0, undefined, undefined, undefined]);
    assert.equal(back[0]!.metrics[0]!.descriptor.unit, 's');
  });
});
