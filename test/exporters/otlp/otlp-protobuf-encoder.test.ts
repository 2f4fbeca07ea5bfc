// Our OTLP protobuf encoder against upstream's serializer: the same bytes for the same batch,
// and protobufjs (a schema written from the spec) decodes both to the same request. Batches come
// from a real SDK MeterProvider, plus hand-made ones for what the SDK does not produce.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueType } from '@opentelemetry/api';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { OtlpProtobufEncoder } from '../../../exporters/otlp/otlp-protobuf-encoder';
import { decodeProtobuf } from '../../helpers/otlp-decode';

class Reader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const encoder = new OtlpProtobufEncoder();

function same(batch: ResourceMetrics): void {
  const ours = encoder.encode(batch);
  const theirs = ProtobufMetricsSerializer.serializeRequest(batch)!;
  assert.deepEqual(decodeProtobuf(ours), decodeProtobuf(theirs));
  assert.ok(Buffer.from(ours).equals(Buffer.from(theirs)), 'the same bytes as upstream');
}

async function sdkBatch(temporality: AggregationTemporality, record: (p: MeterProvider) => void): Promise<ResourceMetrics> {
  const reader = new Reader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'enc', 'process.pid': 4242, 'host.arch': 'amd64', flag: true, ratio: 0.5, list: ['a', 'b'] }),
    readers: [reader],
    views: [{ instrumentName: 'exp.*', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  record(provider);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

function recordAll(provider: MeterProvider, streams = 20): void {
  const m = provider.getMeter('enc-scope', '1.2.3', { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' });
  const ints = m.createCounter('requests', { valueType: ValueType.INT, unit: '{request}', description: 'Requests.' });
  const doubles = m.createUpDownCounter('balance', { unit: 'EUR' });
  const gauge = m.createGauge('temperature', { unit: 'Cel', valueType: ValueType.INT });
  const hist = m.createHistogram('latency', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1, 10] } });
  const exp = m.createHistogram('exp.size', { unit: 'By' });
  m.createObservableGauge('observed').addCallback((r) => r.observe(-3.25, { ü: 'grüße ✓' }));
  for (let i = 0; i < streams; i++) {
    const attrs = { route: `/r/${i}`, status: 200 + (i % 3), ok: i % 2 === 0, weight: i / 7, tags: ['x', `${i}`], neg: -i - 1 };
    ints.add(i + 1, attrs);
    doubles.add(-i * 1.5, attrs);
    gauge.record(-i, attrs);
    hist.record(i * 0.37, attrs);
    exp.record(i * 13.5 + 0.001, attrs);
    exp.record(-i, attrs);
  }
  ints.add(5);
}

describe('OtlpProtobufEncoder (ours) against upstream ProtobufMetricsSerializer', () => {
  it('every point type and attribute value type, cumulative and delta', async () => {
    same(await sdkBatch(AggregationTemporality.CUMULATIVE, (p) => recordAll(p)));
    same(await sdkBatch(AggregationTemporality.DELTA, (p) => recordAll(p)));
  });

  it('a batch past every length prefix size: 20,000 points, a 3-byte metric length and more', async () => {
    same(await sdkBatch(AggregationTemporality.CUMULATIVE, (p) => recordAll(p, 5000)));
  });

  it('the same attributes objects in a later collection: the kept encoding is still right', async () => {
    const reader = new Reader();
    const provider = new MeterProvider({ readers: [reader] });
    const c = provider.getMeter('m').createCounter('c');
    const attrs = Array.from({ length: 50 }, (_, i) => ({ k: `v${i}` }));
    for (const round of [1, 2, 3]) {
      for (const a of attrs) c.add(round, a);
      same((await reader.collect()).resourceMetrics);
    }
    await provider.shutdown();
  });

  it('new attributes objects at every collection (keeping stops, and is tried again): still the same bytes', async () => {
    const reader = new Reader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
    const provider = new MeterProvider({ readers: [reader] });
    const c = provider.getMeter('m').createCounter('c');
    const own = new OtlpProtobufEncoder();
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 30; i++) c.add(round + 1, { k: `v${i}`, round: round % 3 });
      const { resourceMetrics } = await reader.collect();
      assert.ok(Buffer.from(own.encode(resourceMetrics)).equals(Buffer.from(ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!)));
    }
    await provider.shutdown();
  });

  it('hand-made batches: kvlist and bytes values, no attributes, empty names, large times, schema URLs', () => {
    const batch = {
      resource: { attributes: { nested: { a: 1, b: ['c', true] }, raw: new Uint8Array([0, 255, 7]) }, schemaUrl: 'https://example.com/r' },
      scopeMetrics: [
        { scope: { name: '' }, metrics: [] },
        {
          scope: { name: 's', version: '', schemaUrl: '' },
          metrics: [
            { descriptor: { name: 'g', description: '', unit: '', valueType: ValueType.DOUBLE }, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints: [{ startTime: [4_294_967_296, 999_999_999], endTime: [9_007_199_254, 1], attributes: {}, value: Number.NaN }] },
            { descriptor: { name: 'h', description: 'd', unit: 'ms', valueType: ValueType.DOUBLE }, aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.HISTOGRAM, dataPoints: [{ startTime: [0, 0], endTime: [1, 0], attributes: { a: 'b' }, value: { count: 2 ** 40, buckets: { boundaries: [], counts: [2 ** 40] } } }] },
            { descriptor: { name: 'e', description: '', unit: '', valueType: ValueType.DOUBLE }, aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM, dataPoints: [{ startTime: [0, 0], endTime: [1, 0], attributes: {}, value: { count: 0, zeroCount: 0, scale: -3, positive: { offset: -5, bucketCounts: [] }, negative: { offset: 0, bucketCounts: [1, 300, 70000] } } }] },
            { descriptor: { name: 'i', description: '', unit: '', valueType: ValueType.INT }, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: false, dataPoints: [{ startTime: [1, 2], endTime: [3, 4], attributes: { big: 2 ** 53 - 1, small: -(2 ** 40) }, value: -(2 ** 52) }] },
          ],
        },
      ],
    } as unknown as ResourceMetrics;
    same(batch);
  });
});
