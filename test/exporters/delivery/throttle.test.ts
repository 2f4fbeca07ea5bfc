import assert from 'node:assert/strict';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { ExportError } from '../../../exporters/delivery/export-error';
import { withRetry } from '../../../exporters/delivery/with-retry';
import { parseRetryAfter } from '../../../exporters/http/retry-after';
import { deltaBatch } from '../../helpers/batches';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A destination down for the first `outageMillis`, answering each attempt with `error`; counts attempts. */
function outage(outageMillis: number, error: () => ExportError): PushMetricExporter & { attempts: number } {
  const start = Date.now();
  const e = {
    attempts: 0,
    export(_b: ResourceMetrics, done: (r: ExportResult) => void) {
      e.attempts++;
      queueMicrotask(() => done(Date.now() - start < outageMillis ? { code: ExportResultCode.FAILED, error: error() } : { code: ExportResultCode.SUCCESS }));
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  return e;
}

// The chain's schedule at a 1 s interval: 1 s first ceiling, 2 s largest (max(interval, 2 s)).
const policy = { initialIntervalMillis: 1000, maxIntervalMillis: 2000, maxElapsedTimeMillis: 300_000, random: () => 0.5 };

async function run(outageMillis: number, error: () => ExportError, horizon: number): Promise<{ attempts: number; result: ExportResult | undefined }> {
  const dest = outage(outageMillis, error);
  let result: ExportResult | undefined;
  withRetry(dest, policy).export(deltaBatch(5), (r) => { result = r; });
  for (let t = 0; t < horizon && !result; t += 10) {
    mock.timers.tick(10);
    await settle();
  }
  return { attempts: dest.attempts, result };
}

const http = (retryAfter: string) => () => new ExportError('HTTP 503', { retryable: true, type: '503', httpStatus: 503, retryAfterMillis: parseRetryAfter(retryAfter) });
const grpc = (seconds: number) => () => new ExportError('gRPC UNAVAILABLE', { retryable: true, type: 'UNAVAILABLE', grpcStatus: 14, retryAfterMillis: seconds * 1000 });

describe('throttling answers neither storm nor drop', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2026-12-02T00:00:00Z') }));
  afterEach(() => mock.timers.reset());

  // With random 0.5 the plain backoff waits 500, 1000, 1000, … ms: over a 2.5 s outage, 4 attempts then success.
  const plain = 5;
  for (const [label, error] of [
    ['plain 503', http('')],
    ['Retry-After: 0', http('0')],
    ['Retry-After: -1', http('-1')],
    ['Retry-After: a date in the past', http('Tue, 01 Dec 2026 00:00:00 GMT')],
    ['RetryInfo 0 s', grpc(0)],
  ] as const) {
    it(`${label}: the normal backoff, never faster`, async () => {
      const { attempts, result } = await run(2500, error, 20_000);
      assert.equal(result?.code, ExportResultCode.SUCCESS, 'delivered once the outage is over');
      assert.ok(attempts <= plain, `${attempts} attempts in a 2.5 s outage`);
    });
  }

  for (const [label, error] of [
    ['Retry-After: 3600', http('3600')],
    ['RetryInfo 999999999 s', grpc(999_999_999)],
  ] as const) {
    it(`${label}: waits at most the largest interval, and nothing is dropped`, async () => {
      const { attempts, result } = await run(2500, error, 20_000);
      assert.equal(result?.code, ExportResultCode.SUCCESS, 'kept and delivered, not "retries exhausted"');
      assert.equal(attempts, 3, 'at 0, 2 s and 4 s');
    });
  }
});
