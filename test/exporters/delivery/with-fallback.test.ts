import assert from 'node:assert/strict';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { CircuitBreaker } from '../../../exporters/delivery/circuit-breaker';
import { ExportError } from '../../../exporters/delivery/export-error';
import { withFallback } from '../../../exporters/delivery/with-fallback';
import { withRetry } from '../../../exporters/delivery/with-retry';
import { deltaBatch, total } from '../../helpers/batches';
import { ScriptedExporter } from '../../helpers/scripted-exporter';

const send = (e: PushMetricExporter, b: ResourceMetrics) => new Promise<ExportResult>((resolve) => e.export(b, resolve));
const down = new ExportError('UNAVAILABLE', { retryable: true, type: 'UNAVAILABLE' });

describe('withFallback', () => {
  it('a healthy primary gets everything; the fallback nothing', async () => {
    const primary = new ScriptedExporter([{ ok: true }]);
    const fallback = new ScriptedExporter([{ ok: true }]);
    const exporter = withFallback(primary, fallback);
    for (let i = 0; i < 5; i++) assert.equal((await send(exporter, deltaBatch(1))).code, ExportResultCode.SUCCESS);
    assert.equal(primary.delivered.length, 5);
    assert.equal(fallback.calls.length, 0);
  });

  it('takes over while the primary is down and hands back when it returns; no batch goes to both', async () => {
    const primary = new ScriptedExporter([{ error: down }]);
    const fallback = new ScriptedExporter([{ ok: true }]);
    const breaker = new CircuitBreaker({ failureThreshold: 2, probeIntervalMillis: 50, onChange: () => {} });
    const exporter = withFallback(withRetry(primary, { initialIntervalMillis: 1, maxIntervalMillis: 2, shouldRetry: () => !breaker.open, onAttempt: breaker.record }), fallback, { breaker });
    let sent = 0;
    for (let i = 0; i < 5; i++) {
      await send(exporter, deltaBatch(1, 1));
      sent++;
    }
    assert.equal(breaker.open, true);
    // Open: batches skip the primary until a probe is due.
    const callsWhenOpen = primary.calls.length;
    await send(exporter, deltaBatch(1, 1));
    sent++;
    assert.equal(primary.calls.length, callsWhenOpen);
    primary.script = [{ ok: true }];
    await new Promise((r) => setTimeout(r, 60));
    for (let i = 0; i < 3; i++) {
      await send(exporter, deltaBatch(1, 1));
      sent++;
    }
    assert.equal(breaker.open, false);
    assert.equal(primary.delivered.length, 3);
    assert.equal(total(primary.delivered) + total(fallback.delivered), sent);
    const both = primary.delivered.filter((b) => fallback.delivered.includes(b));
    assert.deepEqual(both, []);
  });

  it('without a shared breaker it counts failed batches', async () => {
    const primary = new ScriptedExporter([{ error: down }]);
    const fallback = new ScriptedExporter([{ ok: true }]);
    const exporter = withFallback(primary, fallback, { failureThreshold: 1, probeIntervalMillis: 60_000, onChange: () => {} });
    await send(exporter, deltaBatch(1));
    await send(exporter, deltaBatch(1));
    assert.equal(primary.calls.length, 1);
    assert.equal(fallback.delivered.length, 2);
  });
});
