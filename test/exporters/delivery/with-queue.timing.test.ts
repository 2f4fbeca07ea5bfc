import assert from 'node:assert/strict';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'node:test';
import { DeliveryStats } from '../../../exporters/delivery/delivery-stats';
import { ExportError } from '../../../exporters/delivery/export-error';
import { withQueue } from '../../../exporters/delivery/with-queue';
import { withRetry } from '../../../exporters/delivery/with-retry';
import { deltaBatch, total } from '../../helpers/batches';
import { ScriptedExporter } from '../../helpers/scripted-exporter';

const send = (e: PushMetricExporter, b: ResourceMetrics) => new Promise<ExportResult>((resolve) => e.export(b, resolve));
const down = new ExportError('connect ECONNREFUSED', { retryable: true, type: 'ECONNREFUSED' });
const fastRetry = { initialIntervalMillis: 2, maxIntervalMillis: 10, maxElapsedTimeMillis: 60_000 };

describe('withQueue', () => {
  it('export returns at once while the destination is slow; batches go out in order', async () => {
    const inner = new ScriptedExporter([{ ok: true, delayMs: 200 }]);
    const queue = withQueue(inner, { coalesce: false });
    const t0 = Date.now();
    for (let i = 1; i <= 3; i++) assert.equal((await send(queue, deltaBatch(1, i))).code, ExportResultCode.SUCCESS);
    assert.ok(Date.now() - t0 < 100, 'export waited for the destination');
    await queue.forceFlush();
    assert.deepEqual(inner.delivered.map((b) => total([b])), [1, 2, 3]);
  });

  it('long outage with delta temporality: the delivered deltas sum exactly to what was recorded', async () => {
    const script = [...Array.from({ length: 40 }, () => ({ error: down, delayMs: 5 })), { ok: true as const }];
    const inner = new ScriptedExporter(script);
    const stats = new DeliveryStats('t');
    const queue = withQueue(withRetry(inner, { ...fastRetry, listener: stats }), { listener: stats });
    let recorded = 0;
    for (let i = 0; i < 50; i++) {
      const b = deltaBatch(20, i + 1);
      recorded += total([b]);
      await send(queue, b);
      await new Promise((r) => setTimeout(r, 3));
    }
    await queue.forceFlush();
    assert.equal(total(inner.delivered), recorded);
    assert.equal(stats.exportedPoints > 0, true);
    assert.equal(stats.droppedPoints, 0);
    assert.ok(stats.retries >= 40);
    // Coalesced: far fewer deliveries than batches.
    assert.ok(inner.delivered.length < 10, `${inner.delivered.length} deliveries`);
  });

  it('queue full: the oldest waiting batches are dropped and the counts are exact', async () => {
    const inner = new ScriptedExporter([{ ok: true, delayMs: 150 }]);
    const stats = new DeliveryStats('t');
    const queue = withQueue(inner, { coalesce: false, maxBatches: 3, listener: stats });
    for (let i = 1; i <= 10; i++) await send(queue, deltaBatch(i, 1));
    // Batch 1 is in flight; 2..10 competed for the two other places: 2..8 dropped.
    assert.equal(stats.failedPoints.get('queue_full'), 2 + 3 + 4 + 5 + 6 + 7 + 8);
    await queue.forceFlush();
    assert.deepEqual(inner.delivered.map((b) => total([b])), [1, 9, 10]);
    assert.equal(stats.exportedPoints, 20);
  });

  it('the byte bound drops oldest data too', async () => {
    const inner = new ScriptedExporter([{ ok: true, delayMs: 100 }]);
    const stats = new DeliveryStats('t');
    const queue = withQueue(inner, { coalesce: false, maxBytes: 40_000, listener: stats });
    for (let i = 0; i < 10; i++) await send(queue, deltaBatch(100, 1));
    assert.ok(stats.queueBytes <= 40_000 + 30_000, `${stats.queueBytes}`);
    assert.ok((stats.failedPoints.get('queue_full') ?? 0) > 0);
    await queue.forceFlush();
    assert.equal(stats.exportedPoints + stats.droppedPoints, 1000);
  });

  it('non-retryable failures are dropped and counted by type, once each', async () => {
    const inner = new ScriptedExporter([{ error: new ExportError('HTTP 400', { retryable: false, type: '400', httpStatus: 400 }) }]);
    const stats = new DeliveryStats('t');
    const queue = withQueue(withRetry(inner, fastRetry), { listener: stats });
    await send(queue, deltaBatch(7));
    await queue.forceFlush();
    assert.equal(inner.calls.length, 1);
    assert.equal(stats.failedPoints.get('400'), 7);
  });

  it('shutdown drains within the timeout, then counts what is left as dropped', async () => {
    const inner = new ScriptedExporter([{ error: down }]);
    const stats = new DeliveryStats('t');
    const queue = withQueue(withRetry(inner, { ...fastRetry, initialIntervalMillis: 50 }), { listener: stats, drainTimeoutMillis: 300 });
    await send(queue, deltaBatch(5));
    await send(queue, deltaBatch(6));
    const t0 = Date.now();
    await queue.shutdown();
    assert.ok(Date.now() - t0 < 1500);
    assert.equal(stats.failedPoints.get('shutdown'), 11);
    assert.equal((await send(queue, deltaBatch(1))).code, ExportResultCode.FAILED);
  });

  it('memory bound: a 10-minute outage with 10,000 streams stays one coalesced batch (< 32 MiB)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const inner = new ScriptedExporter([{ error: down, delayMs: 1 }]);
    const stats = new DeliveryStats('t');
    const queue = withQueue(withRetry(inner, { ...fastRetry, maxElapsedTimeMillis: 3_600_000 }), { listener: stats, maxBytes: 64 * 1024 * 1024 });
    gc();
    const before = process.memoryUsage().heapUsed;
    // Ten minutes at a 10 s interval: 60 collections of 10,000 delta streams.
    let recorded = 0;
    for (let i = 0; i < 60; i++) {
      const b = deltaBatch(10_000, 1);
      recorded += 10_000;
      await send(queue, b);
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(stats.queueSize <= 2, `${stats.queueSize} batches queued`);
    assert.ok(grown < 32 * 1024 * 1024, `heap grew ${(grown / 1048576).toFixed(1)} MiB`);
    assert.equal(stats.droppedPoints, 0);
    inner.script = [{ ok: true }];
    await queue.forceFlush();
    assert.equal(total(inner.delivered), recorded);
    await queue.shutdown();
  });
});

describe('withQueue with a spool directory', () => {
  const down503 = new ExportError('HTTP 503', { retryable: true, type: '503' });

  it('keeps undelivered batches on disk at shutdown, and the next queue replays them first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omp-spool-'));
    const first = withQueue(withRetry(new ScriptedExporter([{ error: down503 }]), fastRetry), { directory: dir, drainTimeoutMillis: 100, coalesce: false });
    await send(first, deltaBatch(3, 1));
    await send(first, deltaBatch(4, 1));
    await first.shutdown();
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.spool')).length, 2);

    const inner = new ScriptedExporter([{ ok: true }]);
    const second = withQueue(inner, { directory: dir });
    await send(second, deltaBatch(1, 100));
    await second.forceFlush();
    assert.deepEqual(inner.delivered.map((b) => total([b])), [3, 4, 100]);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.spool')).length, 0);
  });

  it('skips a truncated file and a garbage file with a line each, and replays the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omp-spool-'));
    const first = withQueue(withRetry(new ScriptedExporter([{ error: down503 }]), fastRetry), { directory: dir, drainTimeoutMillis: 50, coalesce: false });
    for (const n of [1, 2, 3]) await send(first, deltaBatch(n, 1));
    await first.shutdown();
    const files = readdirSync(dir).filter((f) => f.endsWith('.spool')).sort();
    assert.equal(files.length, 3);
    const { readFileSync } = await import('node:fs');
    const middle = readFileSync(join(dir, files[1]!));
    writeFileSync(join(dir, files[1]!), middle.subarray(0, middle.length - 10));
    writeFileSync(join(dir, '000000000000000-2147483646-999999.spool'), 'this is not a spool file');

    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => { lines.push(String(chunk)); return true; }) as typeof process.stderr.write;
    const inner = new ScriptedExporter([{ ok: true }]);
    try {
      const second = withQueue(inner, { directory: dir });
      await second.forceFlush();
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(inner.delivered.map((b) => total([b])), [1, 3]);
    const skipped = lines.filter((l) => l.includes('skipping spool file'));
    assert.equal(skipped.length, 2, lines.join(''));
    assert.ok(skipped.some((l) => /truncated/.test(l)));
    assert.ok(skipped.some((l) => /not a spool file/.test(l)));
  });
});
