import assert from 'node:assert/strict';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { OTLPMetricExporter as UpstreamGrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as UpstreamHttpExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as UpstreamProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { execFileSync } from 'node:child_process';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { startMetrics, type InstrumentationName, type MetricsOptions } from '../../src/index';
import { freePort } from '../helpers/free-port';
import { OtlpReceiver, type Reply } from '../helpers/otlp-receiver';
import { havePeer } from '../helpers/peers';

/** Our delivery chain around an upstream exporter instance, exporting one counter against the receiver. */
async function deliverThrough(make: (receiver: OtlpReceiver) => PushMetricExporter | Partial<MetricsOptions>, firstReply: Reply) {
  const receiver = await OtlpReceiver.start({ reply: (n) => (n === 0 ? firstReply : undefined) });
  const made = make(receiver);
  const handle = startMetrics({
    env: {},
    ...('export' in made ? { exporters: [made] } : made),
    setGlobal: false,
    flushOnExit: false,
    selfObservability: false,
    exportTimeoutMillis: 10_000,
    retry: { initialIntervalMillis: 50, maxIntervalMillis: 100, maxElapsedTimeMillis: 10_000 },
  });
  try {
    handle.meterProvider.getMeter('upstream-test').createCounter('app.orders').add(3);
    await handle.forceFlush();
    // Read before shutdown, whose final export would send the cumulative value again.
    return {
      arrivals: receiver.arrivals.length,
      orders: receiver.points().filter((p) => p.metric === 'app.orders'),
      userAgent: receiver.exports[0]?.headers['user-agent'] ?? '',
    };
  } finally {
    await handle.shutdown();
    await receiver.close();
  }
}

describe("upstream's OTLP exporters get our delivery chain", () => {
  it('@opentelemetry/exporter-metrics-otlp-http: a 503 it gives up on is retried by our chain', async () => {
    // Retry-After beyond upstream's own timeout makes its retry give up at once, with the status lost.
    const { arrivals, orders } = await deliverThrough((r) => new UpstreamHttpExporter({ url: r.httpUrl, timeoutMillis: 2000 }), { httpStatus: 503, retryAfter: '60' });
    assert.equal(arrivals, 2);
    assert.equal(orders.length, 1);
    assert.equal(orders[0]!.value, 3);
  });

  it('@opentelemetry/exporter-metrics-otlp-grpc: UNAVAILABLE is retried by our chain', async () => {
    const { arrivals, orders } = await deliverThrough((r) => new UpstreamGrpcExporter({ url: r.grpcUrl, timeoutMillis: 2000 }), { grpcCode: GrpcStatus.UNAVAILABLE });
    assert.equal(arrivals, 2);
    assert.equal(orders.length, 1);
    assert.equal(orders[0]!.value, 3);
  });

  it('@opentelemetry/exporter-metrics-otlp-proto: a 503 it gives up on is retried by our chain', async () => {
    const { arrivals, orders } = await deliverThrough((r) => new UpstreamProtoExporter({ url: r.httpUrl, timeoutMillis: 2000 }), { httpStatus: 503, retryAfter: '60' });
    assert.equal(arrivals, 2);
    assert.equal(orders.length, 1);
    assert.equal(orders[0]!.value, 3);
  });

  it('the env switch builds upstream\'s exporter for the protocol, with the code endpoint, inside our chain', async () => {
    const { arrivals, orders, userAgent } = await deliverThrough((r) => ({
      env: { OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION: 'upstream' },
      exporters: ['otlp'],
      otlp: { protocol: 'http/protobuf', endpoint: r.httpUrl, timeoutMillis: 2000 },
    }), { httpStatus: 503, retryAfter: '60' });
    assert.match(userAgent, /OTel-OTLP-Exporter-JavaScript/i, 'sent by upstream, not by our transport');
    assert.equal(arrivals, 2);
    assert.equal(orders.length, 1);
    assert.equal(orders[0]!.value, 3);
  });
});

/** Serves through upstream's PrometheusExporter, given to startMetrics as a reader; returns one scrape. */
async function scrapeUpstreamReader(instrumentations: InstrumentationName[] | undefined): Promise<string> {
  const port = await freePort();
  const reader = new PrometheusExporter({ host: '127.0.0.1', port });
  const handle = startMetrics({ env: {}, exporters: [reader], instrumentations, setGlobal: false, flushOnExit: false, selfObservability: false });
  try {
    const meter = handle.meterProvider.getMeter('upstream-test');
    meter.createCounter('app.orders', { description: 'Orders taken' }).add(3, { shop: 'north' });
    meter.createHistogram('app.latency', { unit: 's' }).record(0.25);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(response.status, 200);
    return await response.text();
  } finally {
    await handle.shutdown();
  }
}

/** promtool's verdict: exit 0 clean, 3 lint problems only (the text parsed), 1 unparsable. */
function promtool(body: string): { status: number; problems: string[] } {
  try {
    execFileSync('promtool', ['check', 'metrics'], { input: body, stdio: ['pipe', 'pipe', 'pipe'] });
    return { status: 0, problems: [] };
  } catch (err) {
    const e = err as { status: number; stderr: Buffer };
    return { status: e.status, problems: e.stderr.toString().trim().split('\n') };
  }
}

describe("upstream's PrometheusExporter passed as a reader", () => {
  it('is scraped for real, with the app\'s values, and the real promtool accepts it', async (t) => {
    const body = await scrapeUpstreamReader(['none']);
    assert.match(body, /^app_orders_total\{[^}]*shop="north"[^}]*\} 3/m);
    assert.match(body, /^app_latency_count\{[^}]*\} 1/m);
    if (!havePeer(t, 'promtool')) return;
    assert.deepEqual(promtool(body), { status: 0, problems: [] });
  });

  it('serves our producers too; promtool parses it, and lints only the semconv .count names', async (t) => {
    const body = await scrapeUpstreamReader(undefined);
    assert.match(body, /^# TYPE nodejs_eventloop_utilization gauge$/m, 'the default producers are read by the upstream reader');
    if (!havePeer(t, 'promtool')) return;
    // Upstream keeps `process.thread.count` as process_thread_count; our serializer's naming
    // (process_threads) is one reason ours is the built-in (docs/built-on.md).
    const verdict = promtool(body);
    assert.ok(verdict.status === 0 || verdict.status === 3, verdict.problems.join('\n'));
    for (const line of verdict.problems) assert.match(line, /should not have "_count" suffix/);
  });
});
