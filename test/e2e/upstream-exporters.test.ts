import assert from 'node:assert/strict';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { OTLPMetricExporter as UpstreamGrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as UpstreamHttpExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { startMetrics } from '../../src/index';
import { OtlpReceiver, type Reply } from '../helpers/otlp-receiver';

/** Our delivery chain around an upstream exporter instance, exporting one counter against the receiver. */
async function deliverThrough(make: (receiver: OtlpReceiver) => PushMetricExporter, firstReply: Reply) {
  const receiver = await OtlpReceiver.start({ reply: (n) => (n === 0 ? firstReply : undefined) });
  const handle = startMetrics({
    env: {},
    exporters: [make(receiver)],
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
    return { arrivals: receiver.arrivals.length, orders: receiver.points().filter((p) => p.metric === 'app.orders') };
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
});
