import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, runApp, startApp } from '../helpers/spawn-app';
import { OtlpReceiver } from '../helpers/otlp-receiver';

/**
 * A service with many instruments (INSTRUMENTS × 10 series), exporting every 2 s and living
 * 3 s, against a healthy collector and one that answers after 2.5 s: what arrives, how long the
 * exit takes, and what CPU the process spends.
 */
async function run(instruments: number, answerAfterMs: number) {
  const receiver = await OtlpReceiver.start({ reply: () => (answerAfterMs ? { delayMs: answerAfterMs } : undefined) });
  try {
    const t0 = Date.now();
    const app = startApp(fixture('many-instruments-app.js'), {
      INSTRUMENTS: String(instruments),
      KEEP_MS: '3000',
      REPORT_CPU: '1',
      OTEL_METRIC_EXPORT_INTERVAL: '2000',
      OTEL_METRICS_INSTRUMENTATIONS: 'none',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl,
    });
    const result = await app.exited;
    const exited = Date.now();
    const wall = exited - t0;
    const lag = exited - Number(/END (\d+)/.exec(result.stdout)?.[1]);
    const cpu = Number(/CPU (\d+)/.exec(result.stdout)?.[1]);
    const names = new Set<string>();
    let streams = 0;
    const seen = new Set<string>();
    for (const p of receiver.points()) {
      if (!p.metric.startsWith('app.metric.')) continue;
      names.add(p.metric);
      const key = `${p.metric} ${String(p.attributes['http.route'])}`;
      if (!seen.has(key)) { seen.add(key); streams++; }
    }
    return { result, wall, lag, cpu, instruments: names.size, points: streams };
  } finally {
    await receiver.close();
  }
}

describe('any size, any speed, bounded cost', () => {
  let healthyCpu = 0;

  it('10,000 instruments × 10 series, healthy collector: all 100,000 points arrive', async () => {
    const r = await run(10_000, 0);
    assert.equal(r.result.code, 0, r.result.stderr);
    assert.equal(r.points, 100_000, r.result.stderr);
    assert.doesNotMatch(r.result.stderr, /dropped/);
    healthyCpu = r.cpu;
  });

  it('10,000 × 10, collector answering after 2.5 s: exits within 3 s + the 3 s budget + 1 s, CPU at most 2× the healthy run', async () => {
    const r = await run(10_000, 2500);
    assert.equal(r.result.code, 0, r.result.stderr);
    // The app lives 3 s from its start; then the exit budget (3 s), and 1 s to spare.
    assert.ok(r.lag <= 4000, `exit took ${r.lag} ms after the app's end (lived ${r.wall} ms, CPU ${r.cpu} ms); stderr: ${r.result.stderr}`);
    assert.ok(Number.isFinite(r.cpu), r.result.stdout);
    // 2×, not tighter: with another timing file beside it the ratio reached 1.58 in a clean-clone
    // CI run. The quadratic coalescing this guards against cost many times the healthy run.
    if (healthyCpu > 0) assert.ok(r.cpu <= 2 * healthyCpu, `CPU ${r.cpu} ms against ${healthyCpu} ms healthy`);
    assert.equal(r.instruments, 10_000, 'the first export arrives whole');
  });

  it('3,000 × 10 with the slow collector: every instrument arrives', async () => {
    const r = await run(3_000, 2500);
    assert.equal(r.instruments, 3_000, r.result.stderr);
    assert.ok(r.lag <= 4000, `exit took ${r.lag} ms after the app's end`);
  });
});

// Moved from outage-recovery.test.ts: the self-metrics of the big export must be collected and sent
// before the app's 5 s end, which a machine busy with four other test files did not always allow.
describe('a large collection, healthy collector', () => {
  it('one collection of 10,000 instruments x 10 series reaches a healthy collector whole, in requests of at most 3 MiB', async () => {
    const receiver = await OtlpReceiver.start();
    try {
      // Delta: later collections carry nothing new, so the receiver decodes the 10 MB once.
      const result = await runApp(fixture('many-instruments-app.js'), {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
        OTEL_METRIC_EXPORT_INTERVAL: '3000',
        KEEP_MS: '5000',
      }, undefined, 90_000);
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /queue full/);
      const points = receiver.points().filter((p) => p.metric.startsWith('app.metric.'));
      assert.equal(points.length, 100_000);
      assert.equal(points.reduce((n, p) => n + p.value!, 0), 10_000 * 55);
      assert.ok(receiver.points().some((p) => p.metric === 'otel.sdk.exporter.operation.duration'), 'self-metrics arrived too');
      assert.equal(new Set(points.map((p) => `${p.metric}|${String(p.attributes['http.route'])}`)).size, 100_000);
      assert.ok(receiver.exports.length >= 3, `${receiver.exports.length} request(s)`);
      assert.ok(receiver.exports.every((e) => e.bytes <= 3 * 1024 * 1024), `sizes ${receiver.exports.map((e) => e.bytes).join(', ')}`);
    } finally {
      await receiver.close();
    }
  });
});
