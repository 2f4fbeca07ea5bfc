import assert from 'node:assert/strict';
import { request, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import {
  AggregationTemporality, AggregationType, InMemoryMetricExporter, InstrumentType, MetricReader,
  type HistogramMetricData, type MetricProducer, type ResourceMetrics, type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { temporalitySelector } from '../../core/temporality';
import { DirectMetrics } from '../../src/pipeline/direct-metrics';
import { startPipeline } from '../../src/pipeline/pipeline';
import { DURATION_INSTRUMENT } from '../../instrumentation/http/http-server-metrics';
import { DURATION_BUCKETS } from '../../instrumentation/http/http-attributes';

class TestReader extends MetricReader {
  constructor(options: { metricProducers?: MetricProducer[]; exponential?: boolean } = {}) {
    super({
      aggregationTemporalitySelector: temporalitySelector('cumulative'),
      metricProducers: options.metricProducers,
      aggregationSelector: (kind) => (options.exponential && kind === InstrumentType.HISTOGRAM ? { type: AggregationType.EXPONENTIAL_HISTOGRAM } : { type: AggregationType.DEFAULT }),
    });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const SCOPE = { name: 'otel-metrics-pipeline/instrumentation', version: '' };

function accepts(views: ViewOptions[], reader?: (direct: DirectMetrics) => MetricReader): boolean {
  const direct = new DirectMetrics();
  let r: MetricReader | undefined;
  r = reader ? reader(direct) : new TestReader({ metricProducers: [direct.producerFor(() => r)] });
  return direct.sourcesFor(SCOPE, views, [r]).accepts(DURATION_INSTRUMENT);
}

describe('DirectMetrics.sourcesFor: when the duration histogram may skip the SDK', () => {
  it('with no view and every reader collecting direct data', () => assert.equal(accepts([]), true));

  it('not when a view could select it: by name (exact, wildcard, any case), type, unit, meter', () => {
    for (const view of [
      { instrumentName: 'http.server.request.duration' },
      { instrumentName: 'http.*' },
      { instrumentName: '*' },
      { instrumentName: 'HTTP.Server.*' },
      { instrumentName: '*.duration' },
      { instrumentName: 'http.server.request.duratio?' },
      { instrumentType: InstrumentType.HISTOGRAM },
      { instrumentUnit: 's' },
      { meterName: 'otel-metrics-pipeline/instrumentation' },
      { meterName: 'otel-metrics-pipeline/instrumentation', meterVersion: '' },
      { meterSchemaUrl: 'https://example.com/schema' },
    ] as ViewOptions[]) assert.equal(accepts([view]), false, JSON.stringify(view));
  });

  it('when no view could select it', () => {
    for (const view of [
      { instrumentName: 'db.*' },
      { instrumentName: 'http.server.request.duration', instrumentType: InstrumentType.COUNTER },
      { instrumentUnit: 'ms' },
      { meterName: 'app' },
      { meterVersion: '1.0.0' },
    ] as ViewOptions[]) assert.equal(accepts([view]), true, JSON.stringify(view));
  });

  it('not when a reader would not collect direct data (one passed in from code)', () => assert.equal(accepts([], () => new TestReader()), false));

  it('not when a reader picks another histogram aggregation', () => {
    assert.equal(accepts([], (direct) => {
      let r: MetricReader | undefined;
      return r = new TestReader({ exponential: true, metricProducers: [direct.producerFor(() => r)] });
    }), false);
  });
});

async function traffic(n: number): Promise<void> {
  const server: Server = createServer((_, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve, reject) => request({ port, host: '127.0.0.1', path: '/x' }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject).end());
  }
  await new Promise((resolve) => server.close(resolve));
}

function durationIn(rm: ResourceMetrics[] | ResourceMetrics): HistogramMetricData[] {
  const all = Array.isArray(rm) ? rm : [rm];
  return all.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.filter((m) => m.descriptor.name === 'http.server.request.duration'))) as HistogramMetricData[];
}

async function run(extra: { views?: ViewOptions[]; reader?: MetricReader }) {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const pipeline = startPipeline({ exporters: extra.reader ? [exporter, extra.reader] : [exporter], views: extra.views, instrumentations: ['http'], setGlobal: false, flushOnExit: false, logLevel: 'none', env: {} })!;
  try {
    await traffic(3);
    await pipeline.handle.forceFlush();
    const last = exporter.getMetrics().at(-1)!;
    // The SDK puts the instrument in its scope beside active_requests; the direct path in a scope of its own.
    const direct = !last.scopeMetrics.some((s) => s.metrics.some((m) => m.descriptor.name === 'http.server.request.duration') && s.metrics.some((m) => m.descriptor.name === 'http.server.active_requests'));
    return { exported: durationIn(last).at(-1)!, direct, fromReader: extra.reader && durationIn((await extra.reader.collect()).resourceMetrics) };
  } finally {
    await pipeline.handle.shutdown();
  }
}

describe('the pipeline: direct duration and its view fallback', () => {
  it('with no view, the duration arrives with the advised buckets', async () => {
    const { exported, direct } = await run({});
    assert.equal(direct, true);
    assert.deepEqual(exported.dataPoints[0].value.buckets.boundaries, DURATION_BUCKETS);
    assert.equal(exported.dataPoints.reduce((n, p) => n + p.value.count, 0), 3);
  });

  it('a view on the instrument keeps the SDK path, and the view applies', async () => {
    const { exported, direct } = await run({ views: [{ instrumentName: 'http.server.*', aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [0.5] } } }] });
    assert.equal(direct, false);
    assert.deepEqual(exported.dataPoints[0].value.buckets.boundaries, [0.5]);
    assert.equal(exported.dataPoints.reduce((n, p) => n + p.value.count, 0), 3);
  });

  it('a reader passed in from code still gets the duration (through the SDK), and so does the pipeline\'s own', async () => {
    const reader = new TestReader();
    const { exported, fromReader, direct } = await run({ reader });
    assert.equal(direct, false);
    assert.equal(fromReader!.length, 1);
    assert.equal(fromReader![0].dataPoints.reduce((n, p) => n + p.value.count, 0), 3);
    assert.equal(exported.dataPoints.reduce((n, p) => n + p.value.count, 0), 3);
  });
});
