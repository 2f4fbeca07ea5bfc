import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ingestRequest } from '../../src/dashboard/ingest-request';
import { MetricStore } from '../../src/dashboard/metric-store';
import { OtlpDecoder } from '../../src/dashboard/otlp-decoder';

const decoder = new OtlpDecoder();
const request = (points: Array<[string, number]>, time: number) => decoder.decodeJson(JSON.stringify({
  resourceMetrics: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }, { key: 'process.pid', value: { intValue: '42' } }] },
    scopeMetrics: [{ metrics: [{ name: 'hits', unit: '{hit}', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: points.map(([route, v]) => ({ attributes: [{ key: 'route', value: { stringValue: route } }], asInt: String(v), timeUnixNano: String(time * 1e6) })) } }] }],
  }],
}));

const values = (store: MetricStore) => Object.fromEntries([...store.metrics.get('hits')!.series.values()].map((s) => [s.attrKey, s.ring.read(0, 0).v[0]]));

describe('ingestRequest', () => {
  it('files each point under its own series when a sender reorders, adds or drops points between exports', () => {
    const store = new MetricStore();
    ingestRequest(store, request([['/a', 1], ['/b', 2]], 1000), 1000);
    ingestRequest(store, request([['/b', 3], ['/c', 9], ['/a', 4]], 2000), 2000);
    ingestRequest(store, request([['/c', 10]], 3000), 3000);
    assert.deepEqual(values(store), { 'route=/a': [1, 4], 'route=/b': [2, 3], 'route=/c': [9, 10] });
    const instance = [...store.instances.values()][0]!;
    assert.equal(instance.service, 'svc');
    assert.equal(instance.instance, '42', 'no service.instance.id: host and pid stand in');
  });
});
