import assert from 'node:assert/strict';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { DeliveryStats } from '../../../exporters/delivery/delivery-stats';
import { ExportError } from '../../../exporters/delivery/export-error';
import { withRetry } from '../../../exporters/delivery/with-retry';
import { ScriptedExporter } from '../../helpers/scripted-exporter';

const batch = { resource: { attributes: {} }, scopeMetrics: [] } as unknown as ResourceMetrics;
const send = (e: PushMetricExporter) => new Promise<ExportResult>((resolve) => e.export(batch, resolve));
const unavailable = (retryAfterMillis?: number) => new ExportError('503', { retryable: true, type: '503', httpStatus: 503, retryAfterMillis });
const badRequest = new ExportError('400', { retryable: false, type: '400', httpStatus: 400 });
const fast = { initialIntervalMillis: 5, maxIntervalMillis: 20, maxElapsedTimeMillis: 5_000 };

describe('withRetry', () => {
  it('retries retryable failures until one succeeds, and counts the retries', async () => {
    const inner = new ScriptedExporter([{ error: unavailable() }, { error: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }, { ok: true }]);
    const stats = new DeliveryStats('t');
    const result = await send(withRetry(inner, { ...fast, listener: stats }));
    assert.equal(result.code, ExportResultCode.SUCCESS);
    assert.equal(inner.calls.length, 3);
    assert.equal(stats.retries, 2);
  });

  it('does not retry what the spec calls permanent', async () => {
    const inner = new ScriptedExporter([{ error: badRequest }]);
    const result = await send(withRetry(inner, fast));
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.equal(result.error, badRequest);
    assert.equal(inner.calls.length, 1);
  });

  it('waits the server-requested delay, not its own backoff', async () => {
    const inner = new ScriptedExporter([{ error: unavailable(300) }, { ok: true }]);
    await send(withRetry(inner, { ...fast, maxIntervalMillis: 1000, random: () => 0 }));
    const gap = inner.calls[1]!.at - inner.calls[0]!.at;
    assert.ok(gap >= 290, `retried after ${gap} ms`);
  });

  it('backs off exponentially with full jitter up to the maximum interval', async () => {
    const inner = new ScriptedExporter([{ error: unavailable() }, { error: unavailable() }, { error: unavailable() }, { error: unavailable() }, { ok: true }]);
    await send(withRetry(inner, { initialIntervalMillis: 40, maxIntervalMillis: 100, maxElapsedTimeMillis: 10_000, random: () => 0.999 }));
    const gaps = inner.calls.slice(1).map((c, i) => c.at - inner.calls[i]!.at);
    // Ceilings 40, 80, 160→100, 320→100.
    assert.ok(gaps[0]! >= 35 && gaps[1]! >= 75 && gaps[2]! >= 95 && gaps[3]! >= 95, `gaps ${gaps}`);
    // Capped: the uncapped fourth wait would have been ~320 ms.
    assert.ok(gaps[3]! < 300, `gaps ${gaps}`);
  });

  it('gives up when the next wait would pass the elapsed budget', async () => {
    const inner = new ScriptedExporter([{ error: unavailable(1000) }]);
    const t0 = Date.now();
    const result = await send(withRetry(inner, { ...fast, maxIntervalMillis: 2000, maxElapsedTimeMillis: 500 }));
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.equal(inner.calls.length, 1);
    assert.ok(Date.now() - t0 < 400);
  });

  it('a budget of 0 disables retry', async () => {
    const inner = new ScriptedExporter([{ error: unavailable() }, { ok: true }]);
    assert.equal((await send(withRetry(inner, { maxElapsedTimeMillis: 0 }))).code, ExportResultCode.FAILED);
    assert.equal(inner.calls.length, 1);
  });

  it('stops when shouldRetry says so, and reports every attempt', async () => {
    const inner = new ScriptedExporter([{ error: unavailable() }]);
    const seen: boolean[] = [];
    let allowed = 2;
    await send(withRetry(inner, { ...fast, shouldRetry: () => allowed-- > 0, onAttempt: (ok) => seen.push(ok) }));
    assert.equal(inner.calls.length, 3);
    assert.deepEqual(seen, [false, false, false]);
  });

  it('shutdown cuts a pending backoff short', async () => {
    const inner = new ScriptedExporter([{ error: unavailable(60_000) }]);
    const exporter = withRetry(inner, { ...fast, maxElapsedTimeMillis: 300_000 });
    const pending = send(exporter);
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    await exporter.shutdown();
    assert.equal((await pending).code, ExportResultCode.FAILED);
    assert.ok(Date.now() - t0 < 200);
    assert.equal(inner.shutdowns, 1);
  });

  it('a throwing exporter is a failed export, not an exception', async () => {
    const throwing: PushMetricExporter = { export: () => { throw new Error('boom'); }, forceFlush: async () => {}, shutdown: async () => {} };
    const result = await send(withRetry(throwing, fast));
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.equal(result.error?.message, 'boom');
  });
});
