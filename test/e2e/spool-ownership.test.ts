import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/free-port';
import type { Point } from '../helpers/otlp-decode';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { havePeer } from '../helpers/peers';
import { childEnv, fixture, REGISTER, ROOT, startApp, type AppResult } from '../helpers/spawn-app';

const of = (ps: Point[], service: string, metric: string) => ps.filter((p) => p.resource['service.name'] === service && p.metric === metric);
const total = (ps: Point[]) => ps.reduce((n, p) => n + (p.value ?? 0), 0);
const recordedBy = (stdout: string) => Number(/recorded (\d+)/.exec(stdout)?.[1] ?? NaN);
const spoolFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.spool')) : []);

/** A preloaded app as PID 1 of its own PID namespace, as in a container; `stop` signals the app itself. */
function inPidNamespace(script: string, env: Record<string, string>): { exited: Promise<AppResult>; stop(signal?: NodeJS.Signals): void } {
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL', process.execPath, '--require', REGISTER, script], {
    env: childEnv(env), cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d; });
  child.stderr.on('data', (d: Buffer) => { err += d; });
  const started = Date.now();
  const exited = new Promise<AppResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err, elapsedMs: Date.now() - started })));
  // unshare ignores SIGTERM while it waits, so the app (its only child) is signalled directly.
  const stop = (signal: NodeJS.Signals = 'SIGTERM'): void => {
    try {
      for (const pid of execFileSync('pgrep', ['-P', String(child.pid)]).toString().split('\n').filter(Boolean)) process.kill(Number(pid), signal);
    } catch {
      /* already gone */
    }
  };
  return { exited, stop };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  for (const end = Date.now() + timeoutMs; !condition(); await sleep(100)) {
    if (Date.now() > end) throw new Error(`condition not met in ${timeoutMs} ms`);
  }
}

function spoolEnv(port: number, dir: string, service: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
    OTEL_METRIC_EXPORT_INTERVAL: '200',
    OTEL_METRICS_QUEUE_DIR: dir,
    COUNT_EVERY_MS: '20',
  };
}

describe('the spool delivers exactly once', () => {
  it('two containers sharing the directory, both PID 1: each delivers its own data once', async (t: TestContext) => {
    if (!havePeer(t, 'unshare')) return;
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'omp-spool-shared-'));
    const a = inPidNamespace(fixture('counting-app.js'), spoolEnv(port, dir, 'container-a'));
    await waitFor(() => spoolFiles(join(dir, 'otlp')).length > 0, 10_000);
    const b = inPidNamespace(fixture('counting-app.js'), spoolEnv(port, dir, 'container-b'));
    await sleep(2000);
    const receiver = await OtlpReceiver.start({ httpPort: port });
    try {
      await receiver.waitFor((r) => of(r.points(), 'container-a', 'work.done').length > 0 && of(r.points(), 'container-b', 'work.done').length > 0, 20_000);
      await sleep(1000);
      a.stop();
      b.stop();
      const [ra, rb] = await Promise.all([a.exited, b.exited]);
      assert.equal(total(of(receiver.points(), 'container-a', 'work.done')), recordedBy(ra.stdout), ra.stderr);
      assert.equal(total(of(receiver.points(), 'container-b', 'work.done')), recordedBy(rb.stdout), rb.stderr);
      assert.deepEqual(spoolFiles(join(dir, 'otlp')), []);
    } finally {
      a.stop('SIGKILL');
      b.stop('SIGKILL');
      await receiver.close();
    }
  });

  it('PID reuse: the files of a killed PID 1 are replayed by the next PID 1, once', async (t: TestContext) => {
    if (!havePeer(t, 'unshare')) return;
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'omp-spool-pid-'));
    const first = inPidNamespace(fixture('long-app.js'), { ...spoolEnv(port, dir, 'first-pid-1') });
    await waitFor(() => spoolFiles(join(dir, 'otlp')).length > 0, 10_000);
    await sleep(500);
    first.stop('SIGKILL');
    await first.exited;
    const receiver = await OtlpReceiver.start({ httpPort: port });
    try {
      const second = inPidNamespace(fixture('quiet-app.js'), { ...spoolEnv(port, dir, 'second-pid-1'), QUIET_APP_MS: '1500' });
      const result = await second.exited;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(total(of(receiver.points(), 'first-pid-1', 'app.requests')), 7);
      assert.equal(of(receiver.points(), 'first-pid-1', 'app.latency').reduce((n, p) => n + p.count!, 0), 3);
      assert.deepEqual(spoolFiles(join(dir, 'otlp')), []);
    } finally {
      await receiver.close();
    }
  });

  it('a directory that turns read-only: delivered files are marked, never sent again', async (t: TestContext) => {
    if (!havePeer(t, 'sh', ['-c', 'command -v chattr'])) return;
    // A slow collector keeps batches on disk while they are sent, so some are delivered after the lock.
    const receiver = await OtlpReceiver.start({ reply: () => ({ delayMs: 400 }) });
    const dir = mkdtempSync(join(tmpdir(), 'omp-spool-ro-'));
    const spool = join(dir, 'otlp');
    const env = { ...spoolEnv(0, dir, 'read-only'), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase };
    const app = startApp(fixture('counting-app.js'), env);
    let locked = false;
    try {
      await app.waitForOutput(/ready/);
      await receiver.waitFor((r) => of(r.points(), 'read-only', 'work.done').length > 2, 10_000);
      await waitFor(() => spoolFiles(spool).length > 0, 10_000);
      // Immutable, even for root: no file can be created, renamed or deleted in it; files inside stay writable.
      execFileSync('chattr', ['+i', spool]);
      locked = true;
      await app.waitForError(/cannot delete delivered spool files/, 10_000);
      await sleep(1000);
      app.child.kill('SIGTERM');
      const result = await app.exited;
      execFileSync('chattr', ['-i', spool]);
      locked = false;
      assert.match(result.stderr, /marked delivered and will not be sent again/);
      const replay = startApp(fixture('quiet-app.js'), { ...env, QUIET_APP_MS: '1000' });
      await replay.exited;
      assert.equal(total(of(receiver.points(), 'read-only', 'work.done')), recordedBy(result.stdout));
    } finally {
      if (locked) execFileSync('chattr', ['-i', spool]);
      app.child.kill('SIGKILL');
      await receiver.close();
    }
  });
});
