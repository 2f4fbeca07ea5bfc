import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/free-port';
import { fixture, startApp, type AppResult } from '../helpers/spawn-app';

/** Milliseconds from the app's last act (`END <ms>` on stdout) to the process's exit. */
async function exitLag(env: Record<string, string>): Promise<{ lag: number; result: AppResult }> {
  const app = startApp(fixture('ending-app.js'), env);
  const result = await app.exited;
  const closedAt = Date.now();
  const end = Number(/END (\d+)/.exec(result.stdout)?.[1]);
  assert.ok(Number.isFinite(end), `no END in ${result.stdout} / ${result.stderr}`);
  return { lag: closedAt - end, result };
}

async function blackHole(): Promise<{ url: string; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => { sockets.add(s); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => { for (const s of sockets) s.destroy(); server.close(); },
  };
}

describe('exit budget with the default configuration', () => {
  // Nothing listening is not retried at exit: a missing collector costs the exit almost nothing.
  it('collector refusing connections (http/protobuf): gone within 1 s of the app\'s end, drop named with its cause', async () => {
    const port = await freePort();
    const { lag, result } = await exitLag({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    assert.equal(result.code, 0);
    assert.ok(lag <= 1000, `exit took ${lag} ms after the app's end`);
    assert.match(result.stderr, new RegExp(`otlp: dropped \\d+ data point\\(s\\) for http://127\\.0\\.0\\.1:${port}/v1/metrics: connection refused \\(the process is exiting`));
  });

  it('collector refusing connections (grpc): gone within 1 s', async () => {
    const port = await freePort();
    const { lag, result } = await exitLag({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    assert.equal(result.code, 0);
    assert.ok(lag <= 1000, `exit took ${lag} ms after the app's end`);
    assert.match(result.stderr, /connection refused/);
  });

  it('unresolvable host (the README\'s http://collector:4318): gone within 1 s, cause DNS', async () => {
    const { lag, result } = await exitLag({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.invalid:4318' });
    assert.equal(result.code, 0);
    assert.ok(lag <= 1000, `exit took ${lag} ms after the app's end`);
    assert.match(result.stderr, /DNS lookup failed/);
  });

  it('with a spool: what was not delivered is on disk, and the exit does not wait', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'omp-exit-spool-'));
    const { lag, result } = await exitLag({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_METRICS_QUEUE_DIR: dir });
    assert.equal(result.code, 0);
    assert.ok(lag <= 1000, `exit took ${lag} ms after the app's end`);
    assert.ok(readdirSync(join(dir, 'otlp')).some((f) => f.endsWith('.spool')), 'nothing spooled');
    assert.match(result.stderr, /kept in .* and will be sent by the next start/);
  });

  it('black-hole collector, 20 runs (4 at a time): each gone within 5 s, each drop line naming "no answer"', async () => {
    const hole = await blackHole();
    try {
      const one = async () => {
        const { lag, result } = await exitLag({ OTEL_EXPORTER_OTLP_ENDPOINT: hole.url });
        assert.equal(result.code, 0);
        assert.ok(lag <= 5000, `exit took ${lag} ms after the app's end`);
        // The cause decides the words, whichever timer (attempt or exit budget) ended the wait.
        assert.match(result.stderr, /otlp: dropped \d+ data point\(s\) for http:\/\/127\.0\.0\.1:\d+\/v1\/metrics: no answer within \d+ms/);
        assert.doesNotMatch(result.stderr, /no answer yet|network_error|shut down/);
      };
      for (let round = 0; round < 5; round++) await Promise.all([one(), one(), one(), one()]);
    } finally {
      hole.close();
    }
  });

  it('SIGTERM against a black hole: the cause first, then the drop line carrying it ("no answer")', async () => {
    const hole = await blackHole();
    try {
      const app = startApp(fixture('long-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: hole.url });
      await app.waitForOutput(/ready/);
      app.child.kill('SIGTERM');
      const result = await app.exited;
      assert.equal(result.signal, 'SIGTERM');
      const cause = result.stderr.indexOf('cannot deliver');
      const drop = result.stderr.search(/dropped \d+ data point\(s\) for http:\/\/127\.0\.0\.1:\d+\/v1\/metrics: no answer within \d+ms/);
      assert.ok(cause >= 0 && drop > cause, result.stderr);
      assert.doesNotMatch(result.stderr, /no answer yet|network_error|exporter shut down/);
    } finally {
      hole.close();
    }
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const handler of [false, true]) {
      it(`${signal}${handler ? ' with the app\'s own handler' : ''}, collector refusing: gone within 1 s of the signal`, async () => {
        const port = await freePort();
        const app = startApp(fixture('long-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, APP_SIGNAL_HANDLER: handler ? '1' : '0' });
        await app.waitForOutput(/ready/);
        const sent = Date.now();
        app.child.kill(signal);
        const result = await app.exited;
        const lag = Date.now() - sent;
        assert.ok(lag <= 1000, `exit took ${lag} ms after ${signal}`);
        if (handler) assert.equal(result.code, 0, result.stderr);
        else assert.equal(result.signal, signal);
      });
    }
  }

  it('SIGINT with an app handler against a black hole: the budget is not doubled by the flush and the exit', async () => {
    const hole = await blackHole();
    try {
      const app = startApp(fixture('long-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: hole.url, APP_SIGNAL_HANDLER: '1' });
      await app.waitForOutput(/ready/);
      const sent = Date.now();
      app.child.kill('SIGINT');
      await app.exited;
      const lag = Date.now() - sent;
      assert.ok(lag <= 5000, `exit took ${lag} ms after SIGINT`);
    } finally {
      hole.close();
    }
  });

  it('a second Ctrl-C exits at once, and the first one says so', async () => {
    const hole = await blackHole();
    try {
      const app = startApp(fixture('long-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: hole.url });
      await app.waitForOutput(/ready/);
      app.child.kill('SIGINT');
      await app.waitForError(/press Ctrl-C again to exit now/, 3000);
      const again = Date.now();
      app.child.kill('SIGINT');
      const result = await app.exited;
      assert.equal(result.signal, 'SIGINT');
      assert.ok(Date.now() - again < 500, `second Ctrl-C took ${Date.now() - again} ms`);
    } finally {
      hole.close();
    }
  });

  it('OTEL_METRICS_SHUTDOWN_TIMEOUT sets the budget', async () => {
    const hole = await blackHole();
    try {
      const { lag } = await exitLag({ OTEL_EXPORTER_OTLP_ENDPOINT: hole.url, OTEL_METRICS_SHUTDOWN_TIMEOUT: '500' });
      assert.ok(lag <= 1500, `exit took ${lag} ms after the app's end`);
      await sleep(0);
    } finally {
      hole.close();
    }
  });
});
