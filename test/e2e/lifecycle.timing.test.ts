import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { assertKnownValues, find } from '../helpers/known-values';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { freePort } from '../helpers/free-port';
import { fixture, REGISTER, runApp, startApp } from '../helpers/spawn-app';

describe('preload lifecycle', () => {
  let receiver: OtlpReceiver;
  before(async () => { receiver = await OtlpReceiver.start(); });
  after(() => receiver.close());

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: flushes, then dies of the signal as Node would`, async () => {
      const before = receiver.exports.length;
      const app = startApp(fixture('long-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase });
      await app.waitForOutput(/ready/);
      const sent = Date.now();
      app.child.kill(signal);
      const result = await app.exited;
      assert.equal(result.signal, signal, `exit ${result.code} stderr=${result.stderr}`);
      assert.ok(Date.now() - sent < 5000, 'exit was prompt');
      assertKnownValues(receiver.pointsSince(before));
    });
  }

  it('SIGTERM with an app handler: flushes but leaves exiting to the app', async () => {
    const before = receiver.exports.length;
    const app = startApp(fixture('long-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, APP_SIGNAL_HANDLER: '1' });
    await app.waitForOutput(/ready/);
    app.child.kill('SIGTERM');
    const result = await app.exited;
    assert.equal(result.signal, null);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /app handled SIGTERM/);
    const points = receiver.pointsSince(before);
    assertKnownValues(points);
    // Recorded inside the app's handler, so it can only arrive with the exit-time flush.
    assert.equal(find(points, 'app.stopping').value, 1);
  });

  for (const protocol of ['http/protobuf', 'grpc'] as const) {
    it(`never keeps the process alive (${protocol}, exporting every 100 ms)`, async () => {
      const before = receiver.exports.length;
      const result = await runApp(fixture('idle-app.js'), {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpBase,
        OTEL_METRIC_EXPORT_INTERVAL: '100',
        IDLE_APP_MS: '1200',
      }, undefined, 10_000);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.signal, null);
      assert.ok(receiver.exports.length - before >= 3, `only ${receiver.exports.length - before} exports`);
    });
  }

  it('a dead collector delays exit by no more than the export timeout', async () => {
    const port = await freePort();
    const result = await runApp(fixture('short-app.js'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_METRIC_EXPORT_TIMEOUT: '1500',
    });
    assert.equal(result.code, 0);
    assert.ok(result.elapsedMs < 1500 + 2000, `took ${result.elapsedMs} ms`);
  });

  it('a black-hole collector (accepts, never answers) delays exit by no more than the exit budget', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const server: Server = createServer((s) => { sockets.add(s); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const result = await runApp(fixture('short-app.js'), {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        OTEL_METRICS_SHUTDOWN_TIMEOUT: '1500',
      });
      assert.equal(result.code, 0);
      assert.ok(result.elapsedMs < 1500 + 2000, `took ${result.elapsedMs} ms`);
      // The cause (silence) decides the words, not which timer ended the wait.
      assert.match(result.stderr, /otlp: dropped \d+ data point\(s\) for http:\/\/127\.0\.0\.1:\d+\/v1\/metrics: no answer within \d+ms \(the process is exiting, within the 1500ms exit budget \(OTEL_METRICS_SHUTDOWN_TIMEOUT\)/);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  for (const protocol of ['http/protobuf', 'grpc'] as const) {
    it(`an export stuck on a black-hole collector does not keep a finished app alive (${protocol})`, async () => {
      const sockets = new Set<import('node:net').Socket>();
      const server: Server = createServer((s) => { sockets.add(s); });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const result = await runApp(fixture('idle-app.js'), {
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          OTEL_METRIC_EXPORT_INTERVAL: '300',
          OTEL_METRICS_SHUTDOWN_TIMEOUT: '1000',
          IDLE_APP_MS: '1000',
        });
        assert.equal(result.code, 0);
        // App work 1 s + exit budget 1 s + 0.3 s grace; the OTLP timeout (10 s) must not hold it.
        assert.ok(result.elapsedMs < 1000 + 1300 + 2000, `took ${result.elapsedMs} ms`);
      } finally {
        for (const s of sockets) s.destroy();
        server.close();
      }
    });
  }

  it('an ESM app under --import has its module-load instruments live', async () => {
    const before = receiver.exports.length;
    const result = await runApp(fixture('esm-app.mjs'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase }, ['--import', 'otel-metrics-pipeline/register']);
    assert.equal(result.code, 0, result.stderr);
    const points = receiver.pointsSince(before);
    assert.equal(find(points, 'esm.loaded').value, 1);
    assert.equal(find(points, 'esm.after_await').value, 2);
  });

  it('works through NODE_OPTIONS with the package name', async () => {
    const before = receiver.exports.length;
    const result = await runApp(fixture('short-app.js'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
      NODE_OPTIONS: '--require otel-metrics-pipeline/register',
    }, []);
    assert.equal(result.code, 0, result.stderr);
    assertKnownValues(receiver.pointsSince(before));
  });

  it('loads once when both NODE_OPTIONS and --require name it', async () => {
    const before = receiver.exports.length;
    const result = await runApp(fixture('short-app.js'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
      NODE_OPTIONS: `--require ${REGISTER}`,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(receiver.exports.length - before, 1);
  });

  it('process.exit() loses data unless the app flushes first, as documented', async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase };
    let before = receiver.exports.length;
    const lost = await runApp(fixture('explicit-exit-app.js'), env, []);
    assert.equal(lost.code, 0, lost.stderr);
    assert.equal(receiver.exports.length, before);
    before = receiver.exports.length;
    const kept = await runApp(fixture('explicit-exit-app.js'), { ...env, FLUSH_FIRST: '1' }, []);
    assert.equal(kept.code, 0, kept.stderr);
    assertKnownValues(receiver.pointsSince(before));
  });

  it('worker threads inherit the preload but start no second pipeline', async () => {
    const port = await freePort();
    const result = await runApp(fixture('worker-app.js'), { OTEL_METRICS_EXPORTER: 'console,prometheus', OTEL_EXPORTER_PROMETHEUS_PORT: String(port) });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^main\.thread 1$/m);
    assert.match(result.stdout, /worker done/);
  });

  it('OTEL_LOG_LEVEL=none silences even the configuration warnings', async () => {
    const result = await runApp(fixture('short-app.js'), { OTEL_METRICS_EXPORTER: 'console', OTEL_LOG_LEVEL: 'none', OTEL_METRIC_EXPORT_INTERVAL: 'bad' });
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
  });

  it('OTEL_SDK_DISABLED=true installs nothing', async () => {
    const before = receiver.exports.length;
    const result = await runApp(fixture('short-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, OTEL_SDK_DISABLED: 'TRUE' });
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    assert.equal(receiver.exports.length, before);
  });
});
