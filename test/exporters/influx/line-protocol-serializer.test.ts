import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { createLineProtocolSerializer } from '../../../exporters/influx/line-protocol-serializer';
import { batch, expHistogram, gauge, histogram, point, sum } from '../../helpers/influx-batches';

const S = 'start_time_unix_nano=1700000000000000000i';
const T = '1700000010123456789';
const TAGS = 'otel.library.name=lib,otel.library.version=1.0,service.name=shop';
const lines = (rm: Parameters<ReturnType<typeof createLineProtocolSerializer>>[0], options = {}) => createLineProtocolSerializer(options)(rm).lines;

test('monotonic sum → counter field; integer points get the i suffix', () => {
  assert.deepEqual(lines(batch([
    sum('http.requests', [point(1027, { method: 'post', code: 200 })]),
    sum('jobs', [point(3)], true, ValueType.INT),
  ])), [
    `http.requests,code=200,method=post,${TAGS} counter=1027,${S} ${T}`,
    `jobs,${TAGS} counter=3i,${S} ${T}`,
  ]);
});

test('non-monotonic sum and gauge → gauge field; floats keep full precision', () => {
  assert.deepEqual(lines(batch([
    sum('queue.depth', [point(-4, { q: 'a' })], false, ValueType.INT),
    gauge('temperature', [point(0.1 + 0.2, { room: 'b' })]),
  ])), [
    `queue.depth,otel.library.name=lib,otel.library.version=1.0,q=a,service.name=shop gauge=-4i,${S} ${T}`,
    `temperature,otel.library.name=lib,otel.library.version=1.0,room=b,service.name=shop gauge=0.30000000000000004,${S} ${T}`,
  ]);
});

test('explicit-bucket histogram → count, sum, min, max, cumulative bucket counts and +Inf', () => {
  const h = { count: 144320, sum: 53423, min: 0, max: 100, buckets: { boundaries: [0.05, 0.1, 0.2, 0.5, 1], counts: [24054, 9390, 66948, 28997, 4599, 10332] } };
  assert.deepEqual(lines(batch([histogram('http.duration', [point(h, { code: 200 })])])), [
    `http.duration,code=200,${TAGS} count=144320,sum=53423,min=0,max=100,0.05=24054,0.1=33444,0.2=100392,0.5=129389,1=133988,+Inf=144320,${S} ${T}`,
  ]);
  // Without sum/min/max (a histogram that may see negative values, or min/max off).
  const bare = { count: 2, buckets: { boundaries: [1e-7], counts: [1, 1] } };
  assert.deepEqual(lines(batch([histogram('h', [point(bare)])])), [`h,${TAGS} count=2,0.0000001=1,+Inf=2,${S} ${T}`]);
});

test('exponential histogram → the same shape: cumulative counts keyed by bucket upper bounds', () => {
  // scale 0: base 2. Positive buckets at offset 0 cover (1,2], (2,4]; negative bucket 1 covers [-4,-2).
  const e = { count: 6, sum: 4, scale: 0, zeroCount: 1, min: -3, max: 3.5, positive: { offset: 0, bucketCounts: [2, 1] }, negative: { offset: 1, bucketCounts: [2] } };
  assert.deepEqual(lines(batch([expHistogram('latency', [point(e)])])), [
    `latency,${TAGS} count=6,sum=4,min=-3,max=3.5,-2=2,0=3,2=5,4=6,+Inf=6,${S} ${T}`,
  ]);
  // scale 1: base √2; an empty one has min +Inf / max -Inf, which are not values to report.
  const fine = { count: 1, sum: 1.2, scale: 1, zeroCount: 0, positive: { offset: 0, bucketCounts: [1] }, negative: { offset: 0, bucketCounts: [] } };
  const empty = { count: 0, sum: 0, scale: 20, zeroCount: 0, min: Infinity, max: -Infinity, positive: { offset: 0, bucketCounts: [] }, negative: { offset: 0, bucketCounts: [] } };
  const out = createLineProtocolSerializer()(batch([expHistogram('x', [point(fine), point(empty, { k: 'v' })])]));
  assert.deepEqual(out.lines, [
    `x,${TAGS} count=1,sum=1.2,1.4142135623730951=1,+Inf=1,${S} ${T}`,
    `x,k=v,${TAGS} count=0,sum=0,+Inf=0,${S} ${T}`,
  ]);
  assert.equal(out.nonFinite, 0);
});

for (const [precision, stamp] of [['ns', '1700000010123456789'], ['us', '1700000010123456'], ['ms', '1700000010123'], ['s', '1700000010']] as const) {
  test(`precision ${precision}: timestamps ${stamp}`, () => {
    assert.deepEqual(lines(batch([gauge('g', [point(1)])]), { precision }), [`g,${TAGS} gauge=1,${S} ${stamp}`]);
  });
}

test('tags: sorted by key bytes, escaped; resource tags from the allow-list override attributes', () => {
  const resource = resourceFromAttributes({ 'service.name': 'svc a', 'host.name': 'h1', 'k8s.pod.name': 'p', 'service.instance.id': 'i-1' });
  const out = lines(batch([gauge('m', [point(1, { 'zeta': 'z', 'Alpha': 'A', 'é': 'accent', 'service.name': 'from-point', 'a b': 'x,y=z' })])], resource, { name: 'lib', version: '' }));
  assert.deepEqual(out, [`m,Alpha=A,a\\ b=x\\,y\\=z,host.name=h1,otel.library.name=lib,service.instance.id=i-1,service.name=svc\\ a,zeta=z,é=accent gauge=1,${S} ${T}`]);
  assert.deepEqual(lines(batch([gauge('m', [point(1)])], resource), { resourceTags: ['k8s.pod.name'] }), [`m,k8s.pod.name=p,otel.library.name=lib,otel.library.version=1.0 gauge=1,${S} ${T}`]);
  assert.deepEqual(lines(batch([gauge('m', [point(1)])], resource, { name: '' }), { resourceTags: [] }), [`m gauge=1,${S} ${T}`]);
  assert.match(lines(batch([gauge('m', [point(1)])], resource), { resourceTags: '*' })[0], /^m,host\.name=h1,k8s\.pod\.name=p,/);
});

test('attribute values: numbers in decimal, booleans, arrays as JSON', () => {
  assert.deepEqual(lines(batch([gauge('m', [point(1, { n: 1e-7, b: false, arr: ['x', 'y'], i: 3 })])], undefined, { name: '' }), { resourceTags: [] }), [
    `m,arr=["x"\\,"y"],b=false,i=3,n=0.0000001 gauge=1,${S} ${T}`,
  ]);
});

test('unwritable cases are renamed or skipped, never sent broken', () => {
  const noTags = { resourceTags: [] };
  const out = createLineProtocolSerializer(noTags)(batch([
    gauge('#comment', [point(1)]),
    gauge('m', [point(1, { empty: '', time: 't', _field: 'f', _measurement: 'x', path: 'C:\\', '': 'no key' })]),
    gauge('', [point(1)]),
    gauge('nan', [point(NaN), point(Infinity, { a: '1' }), point(-Infinity, { a: '2' }), point(2, { a: '3' })]),
    histogram('h', [point({ count: 1, sum: NaN, min: 1, max: Infinity, buckets: { boundaries: [], counts: [1] } })]),
  ], undefined, { name: '' }));
  assert.deepEqual(out.lines, [
    `_#comment gauge=1,${S} ${T}`,
    `m,_field_=f,_measurement_=x,path=C:\\_,time_=t gauge=1,${S} ${T}`,
    `nan,a=3 gauge=2,${S} ${T}`,
    `h count=1,min=1,+Inf=1,${S} ${T}`,
  ]);
  assert.equal(out.nonFinite, 5);
  assert.equal(out.droppedPoints, 4);
  assert.deepEqual([...out.lossyMetrics], ['nan', 'h']);
});

test('a point without a start time has no start_time_unix_nano field', () => {
  const p = { ...point(1), startTime: [0, 0] as [number, number] };
  assert.deepEqual(lines(batch([gauge('g', [p])], undefined, { name: '' }), { resourceTags: [] }), [`g gauge=1 ${T}`]);
});

test('a stream is escaped once and reused while its values and times change', () => {
  const serialize = createLineProtocolSerializer({ resourceTags: [] });
  const attrs = { 'a b': 'c' };
  const resource = resourceFromAttributes({});
  const first = serialize(batch([sum('c', [point(1, attrs)])], resource, { name: '' })).lines;
  const second = serialize(batch([sum('c', [point(5, attrs, [1_700_000_020, 0])])], resource, { name: '' })).lines;
  assert.deepEqual(first, [`c,a\\ b=c counter=1,${S} ${T}`]);
  assert.deepEqual(second, [`c,a\\ b=c counter=5,${S} 1700000020000000000`]);
});
