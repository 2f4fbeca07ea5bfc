import assert from 'node:assert/strict';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, it, mock } from 'node:test';
import { withTimeout } from '../../../exporters/delivery/with-timeout';
import { withRetry } from '../../../exporters/delivery/with-retry';
import { classifyError } from '../../../exporters/delivery/export-error';

const batch = { resource: {}, scopeMetrics: [] } as unknown as ResourceMetrics;

function flaky(silentAttempts: number): PushMetricExporter & { calls: number } {
  const e = {
    calls: 0,
    export(_b: ResourceMetrics, done: (r: ExportResult) => void) {
      e.calls++;
      if (e.calls > silentAttempts) done({ code: ExportResultCode.SUCCESS });
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  return e;
}

describe('withTimeout', () => {
  it('fails an attempt that never calls back, retryably, with error.type timeout', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      const exporter = withTimeout(flaky(1), { timeoutMillis: 1000, name: 'stuck' });
      const result = new Promise<ExportResult>((resolve) => exporter.export(batch, resolve));
      mock.timers.tick(999);
      let settled = false;
      void result.then(() => { settled = true; });
      await Promise.resolve();
      assert.equal(settled, false);
      mock.timers.tick(1);
      const r = await result;
      assert.equal(r.code, ExportResultCode.FAILED);
      const details = classifyError(r.error);
      assert.equal(details.retryable, true);
      assert.equal(details.type, 'timeout');
      assert.match(r.error!.message, /no answer within 1000ms/);
    } finally {
      mock.timers.reset();
    }
  });

  it('inside withRetry, a silent attempt is retried and the batch delivered', async () => {
    const inner = flaky(2);
    const exporter = withRetry(withTimeout(inner, { timeoutMillis: 20 }), { initialIntervalMillis: 1, maxIntervalMillis: 1, maxElapsedTimeMillis: 5000 });
    const r = await new Promise<ExportResult>((resolve) => exporter.export(batch, resolve));
    assert.equal(r.code, ExportResultCode.SUCCESS);
    assert.equal(inner.calls, 3);
  });

  it('a late callback after the timeout is ignored', async () => {
    let late: ((r: ExportResult) => void) | undefined;
    const exporter = withTimeout({ export: (_b, done) => { late = done; }, forceFlush: async () => {}, shutdown: async () => {} }, { timeoutMillis: 5 });
    const results: ExportResult[] = [];
    await new Promise<void>((resolve) => exporter.export(batch, (r) => { results.push(r); resolve(); }));
    late!({ code: ExportResultCode.SUCCESS });
    assert.equal(results.length, 1);
    assert.equal(results[0]!.code, ExportResultCode.FAILED);
  });
});
