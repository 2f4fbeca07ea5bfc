import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { AggregationTemporality, MeterProvider, MetricReader, type HistogramMetricData, type MetricProducer, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { temporalitySelector } from '../../../core/temporality';
import { DirectMetrics } from '../../../src/pipeline/direct-metrics';
import { DURATION_INSTRUMENT, MAX_FINISHED_SETS, httpServerMetrics } from '../../../instrumentation/http/http-server-metrics';

// A reader collected by hand, in the temporality asked for.
class TestReader extends MetricReader {
  constructor(preference: 'delta' | 'cumulative', metricProducers?: MetricProducer[]) {
    super({ aggregationTemporalitySelector: temporalitySelector(preference), metricProducers });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const SCOPE = { name: 'otel-metrics-pipeline/instrumentation', version: '', schemaUrl: undefined };

/** Two providers fed the same requests: one through the SDK instrument, one through the direct path. */
function pair(bodySizes = false) {
  const sdkReaders = { delta: new TestReader('delta'), cumulative: new TestReader('cumulative') };
  const sdkProvider = new MeterProvider({ readers: Object.values(sdkReaders) });
  const direct = new DirectMetrics();
  const late: Record<string, TestReader> = {};
  const directReaders = {
    delta: late.delta = new TestReader('delta', [direct.producerFor(() => late.delta)]),
    cumulative: late.cumulative = new TestReader('cumulative', [direct.producerFor(() => late.cumulative)]),
  };
  const directProvider = new MeterProvider({ readers: Object.values(directReaders) });
  const sources = direct.sourcesFor(SCOPE, [], Object.values(directReaders));
  assert.equal(sources.accepts(DURATION_INSTRUMENT), true);
  const route = (req: { route?: string }) => req.route;
  const sdk = httpServerMetrics(sdkProvider.getMeter(SCOPE.name), route as never, bodySizes);
  const fast = httpServerMetrics(directProvider.getMeter(SCOPE.name), route as never, bodySizes, sources);
  return { sdkReaders, directReaders, handlers: [sdk, fast] };
}

let now = 0;
beforeEach(() => {
  mock.timers.enable({ apis: ['Date'], now: 1_700_000_000_000 });
  mock.method(performance, 'now', () => now);
});
afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

interface Req { method: string; status: number; route?: string; ms: number; version?: string; abort?: boolean; https?: boolean; bare?: boolean }

// Every request starts and finishes at the same (mocked) instants for both handlers.
function serve(handlers: ReturnType<typeof pair>['handlers'], requests: Req[]): void {
  for (const r of requests) {
    const pairs = handlers.map((h) => {
      // A connection of its own per request, as without keep-alive (the keep-alive and
      // pipelined cases run against a real server in http-producer.test.ts); `bare` requests
      // come without one, as a harness's might.
      const socket = Object.assign(new EventEmitter(), { encrypted: r.https === true });
      const request = { method: r.method, httpVersion: r.version ?? '1.1', rawHeaders: ['Host', 'x', 'Connection', 'close'], headers: {}, socket, route: r.route };
      const response = Object.assign(new EventEmitter(), { statusCode: r.status, req: request, getHeader: (name: string) => (name === 'content-length' ? 2 : undefined) });
      return { h, message: r.bare ? { request, response } : { request, response, socket } };
    });
    for (const { h, message } of pairs) h.onStart(message);
    now += r.ms;
    for (const { h, message } of pairs) {
      // An aborted request: node:http closes the connection, then the response.
      if (r.abort) { message.request.socket.emit('close'); message.response.emit('close'); }
      else h.onFinish(message);
    }
    // Series first recorded at different instants have different start times.
    mock.timers.tick(7);
  }
}

function duration(rm: ResourceMetrics): { scope: unknown; metric: HistogramMetricData } | undefined {
  for (const s of rm.scopeMetrics) {
    const m = s.metrics.find((x) => x.descriptor.name === 'http.server.request.duration');
    if (m) return { scope: s.scope, metric: { ...m, dataPoints: [...m.dataPoints].sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes))) } as HistogramMetricData };
  }
  return undefined;
}

async function same(p: ReturnType<typeof pair>, kind: 'delta' | 'cumulative', label: string): Promise<HistogramMetricData | undefined> {
  const a = duration((await p.sdkReaders[kind].collect()).resourceMetrics);
  const direct = (await p.directReaders[kind].collect()).resourceMetrics;
  const b = duration(direct);
  assert.ok(direct.scopeMetrics.filter((s) => s.metrics.some((m) => m.descriptor.name === 'http.server.request.duration')).length <= 1, 'no SDK instrument beside the direct one');
  assert.deepEqual(b, a, `${kind} ${label}`);
  return a?.metric;
}

describe('http server duration: the direct path', () => {
  it('exports what the SDK instrument exports, delta and cumulative, interval by interval', async () => {
    const p = pair();
    serve(p.handlers, [
      { method: 'GET', status: 200, route: '/items/:id', ms: 3 },
      { method: 'GET', status: 200, route: '/items/:id', ms: 10 },
      { method: 'GET', status: 200, route: '/items/:id', ms: 0.005 * 1000 },
      { method: 'POST', status: 500, route: '/pay', ms: 1200 },
      { method: 'GET', status: 404, ms: 1 },
      { method: 'GET', status: 200, route: '/items/:id', ms: 40, abort: true },
      { method: 'BREW', status: 200, ms: 2, version: '2.0', https: true },
      { method: 'GET', status: 200, route: '/items/:id', ms: 4, bare: true },
      { method: 'GET', status: 200, route: '/items/:id', ms: 6, bare: true, abort: true },
    ]);
    mock.timers.tick(1000);
    const d1 = await same(p, 'delta', 'first');
    const c1 = await same(p, 'cumulative', 'first');
    assert.equal(d1!.aggregationTemporality, AggregationTemporality.DELTA);
    assert.equal(c1!.aggregationTemporality, AggregationTemporality.CUMULATIVE);
    assert.equal(d1!.dataPoints.reduce((n, x) => n + x.value.count, 0), 9);
    assert.equal(d1!.dataPoints.filter((x) => x.attributes['error.type'] === 'aborted').reduce((n, x) => n + x.value.count, 0), 2, 'an abort counts once, on a connection or not');
    assert.ok(new Set(d1!.dataPoints.map((x) => JSON.stringify(x.startTime))).size > 1, 'series start when first recorded');

    // A second interval touches some series only; a new one appears later in it.
    mock.timers.tick(1000);
    serve(p.handlers, [{ method: 'GET', status: 200, route: '/items/:id', ms: 7000 }]);
    mock.timers.tick(500);
    serve(p.handlers, [{ method: 'GET', status: 201, route: '/items/:id', ms: 0.1 }]);
    mock.timers.tick(1000);
    const d2 = await same(p, 'delta', 'second');
    await same(p, 'cumulative', 'second');
    assert.equal(d2!.dataPoints.length, 2, 'delta: only the series with requests this interval');

    // An empty interval: delta has no point (no metric), cumulative repeats its totals.
    mock.timers.tick(1000);
    assert.equal(await same(p, 'delta', 'empty'), undefined);
    await same(p, 'cumulative', 'empty');

    // A series back after an empty interval, and one reported last time.
    mock.timers.tick(1000);
    serve(p.handlers, [{ method: 'POST', status: 500, route: '/pay', ms: 20 }, { method: 'GET', status: 201, route: '/items/:id', ms: 20 }]);
    mock.timers.tick(1000);
    await same(p, 'delta', 'fourth');
    await same(p, 'cumulative', 'fourth');
  });

  it('a reader first collected late gets everything since the start, as with the SDK', async () => {
    const p = pair();
    serve(p.handlers, [{ method: 'GET', status: 200, route: '/a', ms: 5 }]);
    mock.timers.tick(1000);
    await same(p, 'delta', 'first');
    serve(p.handlers, [{ method: 'GET', status: 200, route: '/a', ms: 50 }]);
    mock.timers.tick(1000);
    await same(p, 'cumulative', 'late first');
    await same(p, 'delta', 'second');
  });

  it(`past ${MAX_FINISHED_SETS} sets per method and scheme, requests are still counted, in the overflow series`, async () => {
    const p = pair(true);
    const requests: Req[] = Array.from({ length: MAX_FINISHED_SETS + 5 }, (_, i) => ({ method: 'GET', status: 200, route: `/r${i}`, ms: 1 }));
    serve(p.handlers, requests);
    mock.timers.tick(1000);
    const sdk = duration((await p.sdkReaders.cumulative.collect()).resourceMetrics)!.metric;
    const fast = duration((await p.directReaders.cumulative.collect()).resourceMetrics)!.metric;
    const total = (m: HistogramMetricData) => m.dataPoints.reduce((n, x) => n + x.value.count, 0);
    assert.equal(total(fast), total(sdk));
    assert.equal(fast.dataPoints.length, MAX_FINISHED_SETS + 1);
    const overflow = fast.dataPoints.find((x) => x.attributes['otel.metric.overflow'] === true)!;
    assert.deepEqual(overflow.attributes, { 'otel.metric.overflow': true });
    assert.equal(overflow.value.count, 5);
    // Body sizes stay on the SDK path, each request with its own attributes.
    const sizes = (await p.directReaders.cumulative.collect()).resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'http.server.response.body.size')!;
    assert.equal(sizes.dataPoints.length, MAX_FINISHED_SETS + 5);
  });
});
