import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/free-port';
import { decodeJson, points, type Point } from '../helpers/otlp-decode';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp, startApp } from '../helpers/spawn-app';

const sum = (ps: Point[], metric: string) => ps.filter((p) => p.metric === metric).reduce((n, p) => n + (p.value ?? p.count ?? 0), 0);
const recordedBy = (stdout: string) => Number(/recorded (\d+)/.exec(stdout)?.[1] ?? NaN);

describe('reliable delivery, end to end', () => {
  it('restart: SIGKILL while the collector is down; with a spool, the next start delivers everything recorded before the kill', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'omp-e2e-spool-'));
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      OTEL_METRIC_EXPORT_INTERVAL: '200',
      OTEL_METRICS_QUEUE_DIR: dir,
    };
    const first = startApp(fixture('long-app.js'), env);
    await first.waitForOutput(/ready/);
    const spoolDir = join(dir, 'otlp');
    for (let i = 0; i < 100 && !(existsSync(spoolDir) && readdirSync(spoolDir).some((f) => f.endsWith('.spool'))); i++) await sleep(100);
    await sleep(500);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    assert.equal(killed.signal, 'SIGKILL');

    const receiver = await OtlpReceiver.start({ httpPort: port });
    try {
      const second = startApp(fixture('quiet-app.js'), { ...env, QUIET_APP_MS: '1500' });
      const result = await second.exited;
      assert.equal(result.code, 0, result.stderr);
      const fromFirst = receiver.points().filter((p) => p.resource['process.pid'] === first.child.pid);
      assert.equal(sum(fromFirst, 'app.requests'), 7);
      assert.equal(fromFirst.filter((p) => p.metric === 'app.latency').reduce((n, p) => n + p.count!, 0), 3);
      assert.ok(fromFirst.some((p) => p.metric === 'app.temperature' && p.value === 21.5));
      assert.deepEqual(readdirSync(spoolDir).filter((f) => f.endsWith('.spool')), []);
    } finally {
      await receiver.close();
    }
  });

  it('an unusable spool directory costs the spool only: one line, data still delivered', async () => {
    const receiver = await OtlpReceiver.start();
    try {
      // A regular file where a directory should be: ENOTDIR.
      const file = join(mkdtempSync(join(tmpdir(), 'omp-e2e-')), 'not-a-dir');
      writeFileSync(file, 'x');
      const result = await runApp(fixture('short-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, OTEL_METRICS_QUEUE_DIR: file }, undefined, 15_000);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /^otel-metrics-pipeline: otlp: cannot use the spool directory .*not-a-dir\/otlp \(ENOTDIR\); keeping the queue in memory only$/m);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.equal(sum(receiver.points(), 'app.requests'), 7);
    } finally {
      await receiver.close();
    }
  });

  it('fallback: takes over while the primary is down, hands back when it returns; nothing lost, nothing sent twice', async () => {
    const port = await freePort();
    const app = startApp(fixture('counting-app.js'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      OTEL_METRIC_EXPORT_INTERVAL: '200',
      OTEL_METRICS_FALLBACK_EXPORTER: 'otlp/stdout',
      OTEL_METRICS_FALLBACK_FAILURE_THRESHOLD: '2',
      OTEL_METRICS_FALLBACK_PROBE_INTERVAL: '300',
      OTEL_METRICS_RETRY_INITIAL_INTERVAL: '50',
      OTEL_METRICS_RETRY_MAX_INTERVAL: '100',
      OTEL_METRICS_SELF_OBSERVABILITY_DISABLED: 'true',
      COUNT_EVERY_MS: '20',
    });
    let receiver: OtlpReceiver | undefined;
    try {
      await app.waitForOutput(/ready/);
      await app.waitForOutput(/^\{"resourceMetrics"/m);
      await sleep(1000);
      receiver = await OtlpReceiver.start({ httpPort: port });
      await receiver.waitFor((r) => sum(r.points(), 'work.done') > 0, 10_000);
      await sleep(1000);
      app.child.kill('SIGTERM');
      const result = await app.exited;
      assert.equal(result.code, 0, result.stderr);
      const onStdout = result.stdout.split('\n').filter((l) => l.startsWith('{')).flatMap((l) => points(decodeJson(l)));
      const viaFallback = sum(onStdout, 'work.done');
      const viaPrimary = sum(receiver.points(), 'work.done');
      assert.ok(viaFallback > 0 && viaPrimary > 0, `fallback ${viaFallback}, primary ${viaPrimary}`);
      assert.equal(viaFallback + viaPrimary, recordedBy(result.stdout));
      assert.match(result.stderr, /otlp is failing: sending to the fallback exporter otlp\/stdout/);
      assert.match(result.stderr, /otlp is healthy again/);
    } finally {
      app.child.kill('SIGKILL');
      await receiver?.close();
    }
  });
});
