import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testCerts } from '../helpers/certs';
import { freePort } from '../helpers/free-port';
import type { Point } from '../helpers/otlp-decode';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp, startApp } from '../helpers/spawn-app';

const recordedBy = (stdout: string) => Number(/recorded (\d+)/.exec(stdout)?.[1] ?? NaN);
const workOf = (ps: Point[], service: string) => ps.filter((p) => p.metric === 'work.done' && p.resource['service.name'] === service);

const VARIANTS = [
  { temporality: 'delta', interval: 300 },
  { temporality: 'cumulative', interval: 300 },
  { temporality: 'delta', interval: 5000 },
  { temporality: 'cumulative', interval: 5000 },
] as const;

/** One round: the collector is up, down from 5 s to 41 s, up again; four apps end at 45 s. */
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
      APP_MS: '45000',
      COUNT_EVERY_MS: '10',
    }),
  }));
  try {
    await sleep(5000);
    seen.push(...receiver.points());
    await receiver.close();
    await sleep(36_000);
    receiver = await OtlpReceiver.start({ httpPort, grpcPort });
    const results = await Promise.all(apps.map((a) => a.app.exited));
    seen.push(...receiver.points());
    results.forEach((result, i) => {
      const { service, variant } = apps[i]!;
      assert.equal(result.code, 0, `${service}: ${result.stderr}`);
      const recorded = recordedBy(result.stdout);
      assert.ok(recorded > 3000, `${service} recorded ${recorded}`);
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
  it('collector down from 5 s to 41 s, apps end at 45 s: every increment arrives exactly once (3 rounds x delta/cumulative x 300 ms/5 s)', async () => {
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

describe('the first failure is said within one interval, with its cause', () => {
  const INTERVAL = 500;
  async function firstLine(env: Record<string, string>, pattern: RegExp): Promise<number> {
    const app = startApp(fixture('outage-app.js'), { OTEL_METRIC_EXPORT_INTERVAL: String(INTERVAL), APP_MS: '2500', ...env });
    try {
      await app.waitForOutput(/ready/);
      const ready = Date.now();
      const at = await app.waitForError(pattern, 5000);
      return at - ready;
    } finally {
      app.child.kill('SIGKILL');
    }
  }

  it('connection refused', async () => {
    const port = await freePort();
    const after = await firstLine({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }, new RegExp(`otlp: cannot deliver to http://127\\.0\\.0\\.1:${port}/v1/metrics: connection refused; retrying`));
    assert.ok(after <= 2 * INTERVAL + 500, `said after ${after} ms`);
  });

  it('DNS lookup failed', async () => {
    const after = await firstLine({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.invalid:4318' }, /otlp: cannot deliver to http:\/\/collector\.invalid:4318\/v1\/metrics: DNS lookup failed/);
    assert.ok(after <= 2 * INTERVAL + 1500, `said after ${after} ms`);
  });

  for (const protocol of ['http/protobuf', 'grpc'] as const) {
    it(`TLS: a certificate the client does not trust is permanent (${protocol})`, async () => {
      const certs = testCerts();
      const receiver = await OtlpReceiver.start({ tls: { key: certs.serverKey, cert: certs.serverCert } });
      try {
        const endpoint = protocol === 'grpc' ? receiver.grpcUrl : receiver.httpBase;
        const after = await firstLine({ OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, /otlp: cannot deliver to https:\/\/127\.0\.0\.1:\d+(\/v1\/metrics)?: TLS: [^;]+; not retryable/);
        assert.ok(after <= 2 * INTERVAL + 500, `said after ${after} ms`);
      } finally {
        await receiver.close();
      }
    });
  }

  it('HTTP 503 and gRPC UNAVAILABLE name the status', async () => {
    const receiver = await OtlpReceiver.start({ reply: (_n, transport) => (transport === 'http' ? { httpStatus: 503 } : { grpcCode: 14 }) });
    try {
      await firstLine({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase }, /otlp: cannot deliver to http:\/\/127\.0\.0\.1:\d+\/v1\/metrics: HTTP 503; retrying/);
      await firstLine({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl }, /otlp: cannot deliver to http:\/\/127\.0\.0\.1:\d+: gRPC UNAVAILABLE; retrying/);
    } finally {
      await receiver.close();
    }
  });

  it('recovery is one line, within max(interval, 2 s) of the collector\'s return', async () => {
    const httpPort = await freePort();
    const app = startApp(fixture('outage-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${httpPort}`, OTEL_METRIC_EXPORT_INTERVAL: String(INTERVAL), APP_MS: '10000' });
    let receiver: OtlpReceiver | undefined;
    try {
      await app.waitForError(/cannot deliver/, 5000);
      await sleep(3000);
      receiver = await OtlpReceiver.start({ httpPort });
      const back = Date.now();
      const at = await app.waitForError(/otlp: delivering again after [\d.]+s of failures; \d+ data point\(s\) kept meanwhile were sent/, 5000);
      assert.ok(at - back <= Math.max(INTERVAL, 2000) + 500, `recovered ${at - back} ms after the collector came back`);
    } finally {
      app.child.kill('SIGKILL');
      await receiver?.close();
    }
  });
});
