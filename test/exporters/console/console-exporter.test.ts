import assert from 'node:assert/strict';
import { AggregationType, InMemoryMetricExporter, InstrumentType, AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { ConsoleMetricExporter } from '../../../exporters/console/console-exporter';
import { serializeConsole } from '../../../exporters/console/console-serializer';
import { OtlpStdoutExporter } from '../../../exporters/otlp/otlp-stdout-exporter';
import { decodeJson, points } from '../../helpers/otlp-decode';

async function collect(record: (p: MeterProvider) => void, exponential = false): Promise<ResourceMetrics> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({
    readers: [reader],
    views: exponential ? [{ instrumentName: '*', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }] : [],
  });
  record(provider);
  await reader.forceFlush();
  await provider.shutdown();
  return exporter.getMetrics()[0]!;
}

const sample = (p: MeterProvider) => {
  const meter = p.getMeter('t');
  meter.createCounter('http.requests', { unit: '{request}' }).add(3, { method: 'GET', code: 200 });
  const h = meter.createHistogram('http.duration', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 20, 50, 100] } });
  for (let i = 1; i <= 100; i++) h.record(i);
  meter.createUpDownCounter('queue.depth').add(-2.5);
};

describe('console serializer', () => {
  it('prints one line per data point with quantiles for histograms (golden)', async () => {
    const text = serializeConsole(await collect(sample));
    assert.equal(text, [
      'http.requests{method="GET",code=200} 3 {request}',
      'http.duration count=100 sum=5050 min=1 max=100 p50=50 p90=90 p99=99 ms',
      'queue.depth -2.5',
      '',
    ].join('\n'));
  });
  it('handles exponential histograms', async () => {
    const text = serializeConsole(await collect((p) => {
      const h = p.getMeter('t').createHistogram('lat');
      for (let i = 1; i <= 1000; i++) h.record(i);
    }, true));
    const m = /^lat count=1000 sum=500500 min=1 max=1000 p50=([\d.]+) p90=([\d.]+) p99=([\d.]+)\n$/.exec(text);
    assert.ok(m, text);
    assert.ok(Math.abs(Number(m[1]) - 500) / 500 < 0.05, text);
    assert.ok(Math.abs(Number(m[3]) - 990) / 990 < 0.05, text);
  });
  it('the exporter writes what the serializer returns', async () => {
    let written = '';
    const exporter = new ConsoleMetricExporter((t) => { written += t; });
    const rm = await collect(sample);
    await new Promise<void>((resolve) => exporter.export(rm, () => resolve()));
    assert.equal(written, serializeConsole(rm));
  });
});

describe('otlp/stdout exporter', () => {
  it('writes one line of spec OTLP JSON per export', async () => {
    let written = '';
    const exporter = new OtlpStdoutExporter({ temporalityPreference: 'cumulative', histogramAggregation: 'explicit_bucket_histogram' }, (t) => { written += t; });
    const rm = await collect(sample);
    await new Promise<void>((resolve) => exporter.export(rm, () => resolve()));
    const lines = written.split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[1], '');
    const decoded = points(decodeJson(lines[0]!));
    assert.equal(decoded.find((p) => p.metric === 'http.requests')!.value, 3);
    assert.equal(decoded.find((p) => p.metric === 'http.duration')!.count, 100);
  });
  it('applies the temporality preference', () => {
    const exporter = new OtlpStdoutExporter({ temporalityPreference: 'delta', histogramAggregation: 'explicit_bucket_histogram' });
    assert.equal(exporter.selectAggregationTemporality(InstrumentType.COUNTER), AggregationTemporality.DELTA);
    assert.equal(exporter.selectAggregationTemporality(InstrumentType.UP_DOWN_COUNTER), AggregationTemporality.CUMULATIVE);
  });
});
