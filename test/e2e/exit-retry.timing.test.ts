import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, startApp } from '../helpers/spawn-app';
import { OtlpReceiver, type Reply } from '../helpers/otlp-receiver';

/**
 * The app's final data at exit, against a collector that is briefly unavailable: the exit
 * retries within its 3 s budget instead of giving up after one attempt.
 */
async function exitAgainst(protocol: 'http/protobuf' | 'grpc', reply: (n: number) => Reply | undefined) {
  const receiver = await OtlpReceiver.start({ reply });
  try {
    // Ends 1 s after start; the 60 s interval means the exit flush carries the only export.
    const app = startApp(fixture('ending-app.js'), {
      APP_MS: '1000',
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      ...(protocol === 'grpc' ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl } : { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl }),
    });
    const result = await app.exited;
    const lag = Date.now() - Number(/END (\d+)/.exec(result.stdout)?.[1]);
    const requests = receiver.points().filter((p) => p.metric === 'app.requests');
    return { result, lag, requests, arrivals: receiver.arrivals.length };
  } finally {
    await receiver.close();
  }
}

describe('exit retries within the budget', () => {
  it('HTTP 503 with Retry-After: 1 for the first 2 requests: the final value arrives, within the budget + 0.5 s', async () => {
    const { result, lag, requests, arrivals } = await exitAgainst('http/protobuf', (n) => (n < 2 ? { httpStatus: 503, retryAfter: '1' } : undefined));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(arrivals, 3, result.stderr);
    assert.equal(requests.at(-1)?.value, 7, `final value missing; stderr: ${result.stderr}`);
    assert.ok(lag <= 3500, `exit took ${lag} ms`);
    assert.doesNotMatch(result.stderr, /dropped/);
  });

  it('gRPC UNAVAILABLE for the first 2 requests: the final value arrives, within the budget + 0.5 s', async () => {
    const { result, lag, requests, arrivals } = await exitAgainst('grpc', (n) => (n < 2 ? { grpcCode: 14 } : undefined));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(arrivals, 3, result.stderr);
    assert.equal(requests.at(-1)?.value, 7, `final value missing; stderr: ${result.stderr}`);
    assert.ok(lag <= 3500, `exit took ${lag} ms`);
  });

  it('a Retry-After longer than the budget: one attempt, then the drop line says why, at once', async () => {
    const { result, lag, arrivals } = await exitAgainst('http/protobuf', () => ({ httpStatus: 503, retryAfter: '30' }));
    assert.equal(arrivals, 1);
    assert.ok(lag <= 1500, `exit took ${lag} ms`);
    assert.match(result.stderr, /otlp: dropped \d+ data point\(s\) for http:\/\/127\.0\.0\.1:\d+\/v1\/metrics: HTTP 503 \(the process is exiting/);
  });
});
