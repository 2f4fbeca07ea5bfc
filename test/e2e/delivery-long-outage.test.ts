// Split from delivery.test.ts: its 12 s outage runs beside the other delivery tests, not before them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/free-port';
import type { Point } from '../helpers/otlp-decode';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, startApp } from '../helpers/spawn-app';

const sum = (ps: Point[], metric: string) => ps.filter((p) => p.metric === metric).reduce((n, p) => n + (p.value ?? p.count ?? 0), 0);
const recordedBy = (stdout: string) => Number(/recorded (\d+)/.exec(stdout)?.[1] ?? NaN);

describe('reliable delivery, end to end: a long outage', () => {
  it('long outage: collector down 12 s (six retries at the 2 s backoff cap) with delta temporality; the received deltas sum exactly to what was recorded', async () => {
    const port = await freePort();
    const app = startApp(fixture('counting-app.js'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      OTEL_METRICS_RETRY_MAX_INTERVAL: '2000',
      COUNT_EVERY_MS: '20',
    });
    let receiver: OtlpReceiver | undefined;
    try {
      await app.waitForOutput(/ready/);
      // The outage itself: its length is the scenario, not a wait for something to happen.
      await sleep(12_000);
      receiver = await OtlpReceiver.start({ httpPort: port });
      await receiver.waitFor((r) => sum(r.points(), 'work.done') > 0, 20_000);
      // Two exports after the first one back: the kept backlog has gone out and regular intervals resumed.
      const back = receiver.exports.length;
      await receiver.waitFor((r) => r.exports.length >= back + 2, 20_000);
      app.child.kill('SIGTERM');
      const result = await app.exited;
      assert.equal(result.code, 0, result.stderr);
      const recorded = recordedBy(result.stdout);
      assert.ok(recorded > 300, `recorded ${recorded}`);
      assert.equal(sum(receiver.points(), 'work.done'), recorded);
      assert.ok(receiver.points().every((p) => p.metric !== 'work.done' || p.temporality === 'AGGREGATION_TEMPORALITY_DELTA'));
    } finally {
      app.child.kill('SIGKILL');
      await receiver?.close();
    }
  });
});
