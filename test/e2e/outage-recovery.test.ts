import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/free-port';
import type { Point } from '../helpers/otlp-decode';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp, startApp } from '../helpers/spawn-app';

const recordedBy = (stdout: string) => Number(/recorded (\d+)/.exec(stdout)?.[1] ?? NaN);
const workOf = (ps: Point[], service: string) => ps.filter((p) => p.metric === 'work.done' && p.resource['service.name'] === service);

// The slow interval is longer than the first backoff and shorter than its cap, as 5 s was against the
// default 1 s / 30 s; the cap is lowered to 3 s so that a 10 s outage reaches it and the test takes
// 16 s, not 45 s.
const VARIANTS = [
  { temporality: 'delta', interval: 300 },
  { temporality: 'cumulative', interval: 300 },
  { temporality: 'delta', interval: 1500 },
  { temporality: 'cumulative', interval: 1500 },
] as const;
const OUTAGE_MS = 10_000;
const APP_MS = 16_000;

/** One round: the collector is up until every app delivered once, down for 10 s, up again; four apps end at 16 s. */
async function outageRound(round: number): Promise<void> {
  const httpPort = await freePort();
  const grpcPort = await freePort();
  const seen: Point[] = [];
  let receiver = await OtlpReceiver.start({ httpPort, grpcPort });
  const apps = VARIANTS.map((v) => ({
    service: `outage-${round}-${v.temporality}-${v.interval}`,
    variant: v,
    app: startApp(fixture('outage-app.js'), {
      OTEL_SERVICE_NAME: `outage-${round}-${v.temporality}-${v.interval}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${httpPort}`,
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: v.temporality,
      OTEL_METRIC_EXPORT_INTERVAL: String(v.interval),
      OTEL_METRICS_RETRY_MAX_INTERVAL: '3000',
      APP_MS: String(APP_MS),
      COUNT_EVERY_MS: '10',
    }),
  }));
  try {
    // Up until each app has delivered once, so the outage starts with data in flight for all four.
    await receiver.waitFor((r) => apps.every((a) => workOf(r.points(), a.service).length > 0), APP_MS);
    seen.push(...receiver.points());
    await receiver.close();
    // The outage itself: its length is the scenario, not a wait for something to happen.
    await sleep(OUTAGE_MS);
    receiver = await OtlpReceiver.start({ httpPort, grpcPort });
    const results = await Promise.all(apps.map((a) => a.app.exited));
    seen.push(...receiver.points());
    results.forEach((result, i) => {
      const { service, variant } = apps[i]!;
      assert.equal(result.code, 0, `${service}: ${result.stderr}`);
      const recorded = recordedBy(result.stdout);
      assert.ok(recorded > 500, `${service} recorded ${recorded}`);
      const points = workOf(seen, service);
      if (variant.temporality === 'delta') {
        assert.equal(points.reduce((n, p) => n + p.value!, 0), recorded, `${service}: deltas`);
      } else {
        assert.equal(Math.max(...points.map((p) => p.value!)), recorded, `${service}: final cumulative value`);
        assert.equal(points.at(-1)!.value, recorded, `${service}: last value`);
      }
    });
  } finally {
    for (const a of apps) a.app.child.kill('SIGKILL');
    await receiver.close();
  }
}

describe('outage and recovery, end to end', () => {
  it('collector down 10 s (past the 3 s backoff cap) after the first delivery, apps end at 16 s: every increment arrives exactly once (3 rounds x delta/cumulative x 300 ms/1.5 s)', async () => {
    await Promise.all([0, 1, 2].map((round) => outageRound(round)));
  });

  it('a slow collector (800 ms per request, 300 ms interval) still gets the final value', async () => {
    const receiver = await OtlpReceiver.start({ reply: () => ({ delayMs: 800 }) });
    try {
      const result = await runApp(fixture('outage-app.js'), {
        OTEL_SERVICE_NAME: 'slow',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
        OTEL_METRIC_EXPORT_INTERVAL: '300',
        APP_MS: '3000',
      });
      assert.equal(result.code, 0, result.stderr);
      const recorded = recordedBy(result.stdout);
      assert.equal(workOf(receiver.points(), 'slow').at(-1)?.value, recorded);
    } finally {
      await receiver.close();
    }
  });
});
