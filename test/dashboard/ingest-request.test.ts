import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as protobuf from 'protobufjs';
import { ingestRequest } from '../../src/dashboard/ingest-request';
import { MetricStore } from '../../src/dashboard/metric-store';
import { OtlpDecoder } from '../../src/dashboard/otlp-decoder';
import { ROOT } from '../helpers/spawn-app';

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

  it('keeps zero values, in protobuf and JSON (a oneof member set to 0 is still present)', () => {
    const store = new MetricStore();
    ingestRequest(store, request([['/a', 0]], 1000), 1000);
    const json = decoder.decodeJson(JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ asDouble: 0 }] } }] }] }] }));
    ingestRequest(store, json, 1000);
    assert.deepEqual(values(store), { 'route=/a': [0] });
    assert.deepEqual([...store.metrics.get('g')!.series.values()][0]!.ring.read(0, 0).v[0], [0]);
    // Protobuf bytes from an untouched protobufjs Root of the same schema.
    const Request = protobuf.loadSync(join(ROOT, 'src/dashboard/otlp-metrics.proto')).lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
    const bytes = Request.encode(Request.fromObject({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'z', sum: { aggregationTemporality: 2, dataPoints: [{ asInt: 0 }] } }] }] }] })).finish();
    ingestRequest(store, decoder.decodeProtobuf(bytes), 1000);
    assert.deepEqual([...store.metrics.get('z')!.series.values()][0]!.ring.read(0, 0).v[0], [0]);
  });
});
