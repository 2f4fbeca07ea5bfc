// Split from delivery.test.ts: it bounds the gap between collections, so it runs in the timing group
// (npm test runs *.timing.test.js files apart, two at a time), not beside the busy suites.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, startApp } from '../helpers/spawn-app';

describe('reliable delivery, end to end: collection cadence', () => {
  it('slow collector: answers only after the timeout; collection cadence holds and memory stays bounded', async () => {
    const receiver = await OtlpReceiver.start({ reply: () => ({ delayMs: 3000 }) });
    const app = startApp(fixture('collect-ticker-app.js'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
      OTEL_METRIC_EXPORT_INTERVAL: '200',
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
      // The exit is not under test here: a short budget keeps SIGTERM from waiting 3 s on the slow collector.
      OTEL_METRICS_SHUTDOWN_TIMEOUT: '300',
    });
    try {
      await app.waitForOutput(/ready/);
      await sleep(6000);
      app.child.kill('SIGTERM');
      const result = await app.exited;
      const ticks = [...result.stdout.matchAll(/^collect (\d+) (\d+) (\d+)$/gm)].map((m) => ({ at: Number(m[2]), heap: Number(m[3]) }));
      // ~30 collections expected in 6 s at 200 ms; allow a loaded machine plenty of slack.
      assert.ok(ticks.length >= 15, `${ticks.length} collections`);
      const worstGap = Math.max(...ticks.slice(1).map((t, i) => t.at - ticks[i]!.at));
      assert.ok(worstGap < 2000, `collection stalled for ${worstGap} ms`);
      const growth = ticks.at(-1)!.heap - ticks[2]!.heap;
      assert.ok(growth < 40 * 1024 * 1024, `heap grew ${(growth / 1048576).toFixed(1)} MiB`);
      assert.ok(receiver.arrivals.length >= 2);
    } finally {
      app.child.kill('SIGKILL');
      await receiver.close();
    }
  });
});
