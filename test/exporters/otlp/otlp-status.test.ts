import assert from 'node:assert/strict';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { DeliveryStats } from '../../../exporters/delivery/delivery-stats';
import { ExportError } from '../../../exporters/delivery/export-error';
import { createOtlpExporter } from '../../../exporters/otlp/otlp-exporter';
import { readOtlpConfig } from '../../../exporters/otlp/otlp-config';
import { EnvReader } from '../../../core/env-reader';
import { withRetry } from '../../../exporters/delivery/with-retry';
import type { OtlpProtocol } from '../../../exporters/otlp/otlp-options';
import { deltaBatch } from '../../helpers/batches';
import { OtlpReceiver, type Reply } from '../../helpers/otlp-receiver';

const send = (e: PushMetricExporter, b: ResourceMetrics) => new Promise<ExportResult>((resolve) => e.export(b, resolve));

/** Our real OTLP exporter and transport, wrapped in retry, against the real receiver. */
async function scenario(protocol: OtlpProtocol, replies: Reply[], retry = { initialIntervalMillis: 100, maxIntervalMillis: 5000, maxElapsedTimeMillis: 10_000 }) {
  const receiver = await OtlpReceiver.start({ reply: (n) => replies[n] });
  const config = readOtlpConfig(new EnvReader({}, () => {}), { protocol, endpoint: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl, timeoutMillis: 2000 });
  const stats = new DeliveryStats('otlp');
  const inner = createOtlpExporter(config, stats);
  const exporter = withRetry(inner, { ...retry, listener: stats });
  try {
    const result = await send(exporter, deltaBatch(5));
    return { result, receiver, stats };
  } finally {
    await exporter.shutdown();
    await receiver.close();
  }
}

const gaps = (arrivals: number[]) => arrivals.slice(1).map((t, i) => t - arrivals[i]!);

describe('OTLP failure handling against the real receiver', () => {
  it('HTTP 503 with Retry-After in seconds is honoured', async () => {
    const { result, receiver } = await scenario('http/protobuf', [{ httpStatus: 503, retryAfter: '1' }]);
    assert.equal(result.code, ExportResultCode.SUCCESS);
    assert.equal(receiver.arrivals.length, 2);
    assert.ok(gaps(receiver.arrivals)[0]! >= 950, `retried after ${gaps(receiver.arrivals)[0]} ms`);
    assert.equal(receiver.exports.length, 1);
  });

  it('HTTP 503 with Retry-After as an HTTP-date is honoured', async () => {
    const at = new Date(Date.now() + 2000).toUTCString();
    const { result, receiver } = await scenario('http/json', [{ httpStatus: 503, retryAfter: at }]);
    assert.equal(result.code, ExportResultCode.SUCCESS);
    // HTTP-dates have one-second resolution: at least ~1 s must pass.
    assert.ok(gaps(receiver.arrivals)[0]! >= 900, `retried after ${gaps(receiver.arrivals)[0]} ms`);
  });

  it('HTTP 429 without Retry-After backs off and retries', async () => {
    const { result, receiver, stats } = await scenario('http/protobuf', [{ httpStatus: 429 }, { httpStatus: 429 }]);
    assert.equal(result.code, ExportResultCode.SUCCESS);
    assert.equal(receiver.arrivals.length, 3);
    assert.equal(stats.retries, 2);
  });

  for (const status of [502, 504]) {
    it(`HTTP ${status} is retried`, async () => {
      const { result, receiver } = await scenario('http/protobuf', [{ httpStatus: status }]);
      assert.equal(result.code, ExportResultCode.SUCCESS);
      assert.equal(receiver.arrivals.length, 2);
    });
  }

  for (const status of [400, 401, 403, 413]) {
    it(`HTTP ${status} is not retried`, async () => {
      const { result, receiver } = await scenario('http/protobuf', [{ httpStatus: status }]);
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.equal(receiver.arrivals.length, 1);
      const error = result.error as ExportError;
      assert.equal(error.retryable, false);
      assert.equal(error.httpStatus, status);
      assert.match(error.destination!, /^http:\/\/127\.0\.0\.1:\d+\/v1\/metrics$/);
    });
  }

  it('gRPC UNAVAILABLE is retried', async () => {
    const { result, receiver } = await scenario('grpc', [{ grpcCode: GrpcStatus.UNAVAILABLE }, { grpcCode: GrpcStatus.UNAVAILABLE }]);
    assert.equal(result.code, ExportResultCode.SUCCESS);
    assert.equal(receiver.arrivals.length, 3);
  });

  for (const code of ['UNAUTHENTICATED', 'INVALID_ARGUMENT', 'PERMISSION_DENIED'] as const) {
    it(`gRPC ${code} is not retried`, async () => {
      const { result, receiver } = await scenario('grpc', [{ grpcCode: GrpcStatus[code] }]);
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.equal(receiver.arrivals.length, 1);
      assert.equal((result.error as ExportError).type, code);
    });
  }

  it('gRPC RESOURCE_EXHAUSTED with RetryInfo waits the requested delay', async () => {
    const { result, receiver } = await scenario('grpc', [{ grpcCode: GrpcStatus.RESOURCE_EXHAUSTED, retryInfoMillis: 1200 }]);
    assert.equal(result.code, ExportResultCode.SUCCESS);
    assert.ok(gaps(receiver.arrivals)[0]! >= 1150, `retried after ${gaps(receiver.arrivals)[0]} ms`);
  });

  it('gRPC RESOURCE_EXHAUSTED without RetryInfo is not retried', async () => {
    const { result, receiver } = await scenario('grpc', [{ grpcCode: GrpcStatus.RESOURCE_EXHAUSTED }]);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.equal(receiver.arrivals.length, 1);
  });

  it('gRPC UNAVAILABLE with RetryInfo waits the requested delay', async () => {
    const { result, receiver } = await scenario('grpc', [{ grpcCode: GrpcStatus.UNAVAILABLE, retryInfoMillis: 700 }]);
    assert.equal(result.code, ExportResultCode.SUCCESS);
    assert.ok(gaps(receiver.arrivals)[0]! >= 650);
  });

  for (const protocol of ['http/protobuf', 'http/json', 'grpc'] as const) {
    it(`partial success over ${protocol} is counted, not retried`, async () => {
      const { result, receiver, stats } = await scenario(protocol, [{ partialSuccess: { rejectedDataPoints: 2, errorMessage: 'bad points' } }]);
      assert.equal(result.code, ExportResultCode.SUCCESS);
      assert.equal(receiver.arrivals.length, 1);
      assert.equal(stats.rejectedPoints, 2);
    });
  }

  it('a timeout is retried', async () => {
    const { result, receiver } = await scenario('http/protobuf', [{ delayMs: 3000 }]);
    assert.equal(result.code, ExportResultCode.SUCCESS);
    assert.equal(receiver.arrivals.length, 2);
  });
});
