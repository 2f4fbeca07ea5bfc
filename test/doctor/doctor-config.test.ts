import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Spool } from '../../exporters/delivery/spool';
import { buildTestBatch } from '../../src/doctor/test-batch';
import { freePort } from '../helpers/free-port';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp } from '../helpers/spawn-app';
import { checksOf, runDoctorCli } from './doctor-cli';

describe('doctor: configuration', () => {
  it('bad variables: exit 2, and every problem is a line the real preload prints, word for word', async () => {
    const env = {
      OTEL_METRICS_EXPORTER: 'otlp,console,promethus',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
      OTEL_METRIC_EXPORT_INTERVAL: '10s',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: 'abc',
      OTEL_EXPORTER_OTLP_HEADERS: 'a=1,broken',
      OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE: '/nonexistent/ca.pem',
      OTEL_METRICS_FALLBACK_EXPORTER: 'prometheus',
      OTEL_METRICS_INSTRUMENTATIONS: 'bogus',
      OTEL_METRICS_SELF_OBSERVABILITY_DISABLED: 'true',
    };
    const run = await runDoctorCli(env, ['--json', '--no-send']);
    assert.equal(run.code, 2, run.stdout);
    const problems = run.report!.problems;
    assert.ok(problems.length >= 7, problems.join('\n'));
    const app = await runApp(fixture('quiet-app.js'), { ...env, QUIET_APP_MS: '300' });
    const preloadLines = app.stderr.split('\n').filter((l) => l.startsWith('otel-metrics-pipeline: ')).map((l) => l.slice('otel-metrics-pipeline: '.length));
    for (const p of problems) assert.ok(preloadLines.includes(p), `not printed by the preload: ${p}\npreload said:\n${preloadLines.join('\n')}`);
    const interval = run.report!.settings.find((s) => s.name === 'exportIntervalMillis')!;
    assert.deepEqual(interval, { name: 'exportIntervalMillis', value: '60000 ms', source: 'OTEL_METRIC_EXPORT_INTERVAL', sourceKind: 'env', note: 'see the problems' });
  });

  it('--json: one document, checked field by field', async () => {
    const receiver = await OtlpReceiver.start();
    try {
      const run = await runDoctorCli({
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored.invalid:4318',
        OTEL_EXPORTER_OTLP_TIMEOUT: '4000',
        OTEL_SERVICE_NAME: 'checkout',
        OTEL_METRICS_EXPORTER: 'otlp,console',
      }, ['--json']);
      const r = run.report!;
      assert.equal(run.code, 0, run.stdout);
      assert.equal(r.schemaVersion, 1);
      assert.equal(r.exitCode, 0);
      assert.equal(r.sent, true);
      assert.deepEqual(r.problems, []);
      assert.deepEqual(r.notes, []);
      assert.equal(r.spool, undefined);
      const s = Object.fromEntries(r.settings.map((x) => [x.name, x]));
      assert.deepEqual(s['otlp.endpoint'], { name: 'otlp.endpoint', value: receiver.httpUrl, source: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', sourceKind: 'specific' });
      assert.deepEqual(s['otlp.timeoutMillis'], { name: 'otlp.timeoutMillis', value: '4000 ms', source: 'OTEL_EXPORTER_OTLP_TIMEOUT', sourceKind: 'generic' });
      assert.deepEqual(s['otlp.compression'], { name: 'otlp.compression', value: 'none', source: 'default', sourceKind: 'default' });
      assert.deepEqual(s.serviceName, { name: 'serviceName', value: 'checkout', source: 'OTEL_SERVICE_NAME', sourceKind: 'env' });
      assert.deepEqual(s.exporters, { name: 'exporters', value: 'otlp, console', source: 'OTEL_METRICS_EXPORTER', sourceKind: 'env' });
      assert.equal(r.destinations.length, 2);
      const [otlp, console] = r.destinations;
      assert.deepEqual({ ...otlp, checks: undefined }, { name: 'otlp', role: 'primary', kind: 'push', target: `http/protobuf ${receiver.httpUrl}`, status: 'ok', checks: undefined });
      assert.deepEqual(otlp!.checks.map((c) => [c.name, c.status]), [['dns', 'ok'], ['tcp', 'ok'], ['protocol', 'ok'], ['export', 'ok']]);
      for (const c of otlp!.checks.slice(1)) assert.equal(typeof c.millis, 'number');
      assert.deepEqual(checksOf(r).tcp!.data, { remoteAddress: '127.0.0.1', remotePort: receiver.httpPort });
      assert.deepEqual(checksOf(r).export!.data, { outcome: 'accepted' });
      assert.deepEqual({ ...console, checks: undefined }, { name: 'console', role: 'primary', kind: 'push', target: 'stdout', status: 'ok', checks: undefined });
    } finally {
      await receiver.close();
    }
  });

  it('passwords holding /, #, ? or @ in an endpoint never appear in doctor text or --json', async () => {
    for (const ch of ['/', '#', '?', '@']) {
      const env = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://alice:s3cr3t${ch}Zq9@127.0.0.1:4999`, OTEL_EXPORTER_OTLP_TIMEOUT: '500' };
      for (const args of [[], ['--json']]) {
        const run = await runDoctorCli(env, args);
        const out = `${run.stdout}\n${run.stderr}`;
        assert.match(out, /\[redacted\]/, `${ch} ${args.join(' ')}`);
        assert.doesNotMatch(out, /s3cr3t|Zq9/, `${ch} ${args.join(' ')}: ${out}`);
      }
    }
  });

  it('a secret planted in every secret-bearing variable never appears in the output', async () => {
    const secret = (n: number): string => `s3cr3t-${n}-Zq9`;
    const receiver = await OtlpReceiver.start({ requiredHeaders: { authorization: `Bearer ${secret(1)}` } });
    try {
      const url = new URL(receiver.httpUrl);
      const env = {
        OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${secret(1)},x-extra=${secret(2)},broken${secret(3)}`,
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: `x-tenant=${secret(4)}`,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${url.protocol}//user:${secret(5)}@${url.host}${url.pathname}?token=${secret(6)}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: `ftp://admin:${secret(7)}@collector`,
        OTEL_RESOURCE_ATTRIBUTES: `deployment.environment=prod,api.token=${secret(8)}`,
      };
      for (const args of [[], ['--json']]) {
        const run = await runDoctorCli(env, args);
        const all = run.stdout + run.stderr;
        for (let n = 1; n <= 8; n++) assert.ok(!all.includes(secret(n)), `secret ${n} printed:\n${all}`);
        assert.match(all, /authorization=\[redacted\]/);
      }
    } finally {
      await receiver.close();
    }
  });
});

describe('doctor: Prometheus, spool, bounds', () => {
  it('Prometheus: a port held by a silent listener fails; loopback inside a container warns; 0.0.0.0 does not', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const run = await runDoctorCli({ OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(port) }, ['--json']);
      assert.equal(run.code, 1);
      const held = checksOf(run.report!, 'prometheus').port!;
      assert.equal(held.data!.error, 'EADDRINUSE');
      assert.match(held.detail, /held by something that accepts connections but does not answer HTTP/);
    } finally {
      busy.close();
    }
    const free = String(await freePort());
    const inK8s = await runDoctorCli({ OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_PORT: free, KUBERNETES_SERVICE_HOST: '10.0.0.1' }, ['--json']);
    const bind = checksOf(inK8s.report!, 'prometheus').bind!;
    assert.equal(bind.status, 'warn');
    assert.match(bind.detail, /KUBERNETES_SERVICE_HOST.*OTEL_EXPORTER_PROMETHEUS_HOST=0\.0\.0\.0/);
    assert.equal(inK8s.code, 0);
    const all = await runDoctorCli({ OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0', OTEL_EXPORTER_PROMETHEUS_PORT: free, KUBERNETES_SERVICE_HOST: '10.0.0.1' }, ['--json']);
    const checks = checksOf(all.report!, 'prometheus');
    assert.equal(checks.bind!.status, 'ok');
    assert.equal(checks.bind!.data!.scope, 'all');
    assert.equal(checks.port!.status, 'ok');
  });

  it('spool: writable, free space, waiting files and whose; an unusable directory fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omp-doctor-spool-'));
    // A live spool in this process (its owner lock listens) and files of an instance that is gone.
    const live = new Spool(join(dir, 'otlp'));
    try {
      const batch = await buildTestBatch({});
      const liveId = live.nextId();
      live.write(liveId, batch);
      const doneId = live.nextId();
      live.write(doneId, batch);
      await live.settle();
      live.remove(doneId);
      await live.settle();
      const record = readFileSync(join(dir, 'otlp', `${liveId}.spool`));
      writeFileSync(join(dir, 'otlp', '000001700000000-0123456789ab-000000.spool'), record);
      writeFileSync(join(dir, 'otlp', '000001700000001-0123456789ab-000001.spool'), record);
      const run = await runDoctorCli({ OTEL_METRICS_QUEUE_DIR: dir, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }, ['--json', '--no-send']);
      const spool = run.report!.spool!;
      assert.equal(spool.directory, dir);
      const c = Object.fromEntries(spool.checks.map((x) => [x.name, x]));
      assert.equal(c.directory!.status, 'ok');
      assert.equal(typeof c.space!.data!.freeBytes, 'number');
      const groups = c.files!.data!.groups as Array<{ exporter: string; owner: string; alive: boolean; files: number; bytes: number; uids: number[] }>;
      const liveOwner = liveId.split('-')[1]!;
      assert.deepEqual(groups.map((g) => [g.exporter, g.owner, g.alive, g.files, g.bytes]).sort(), [
        ['otlp', '0123456789ab', false, 2, 2 * record.length],
        ['otlp', liveOwner, true, 1, record.length],
      ].sort());
      assert.deepEqual(groups[0]!.uids, [process.getuid!()]);
      assert.match(c.files!.detail, /from instance 0123456789ab \(gone: the next start replays them\)/);
      assert.match(c.files!.detail, new RegExp(`from instance ${liveOwner} \\(running: it still owns them\\)`));
      const bad = await runDoctorCli({ OTEL_METRICS_QUEUE_DIR: '/dev/null/spool', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }, ['--json', '--no-send']);
      assert.equal(bad.report!.spool!.status, 'fail');
      assert.equal(bad.code, 1);
    } finally {
      live.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never hangs: a port that accepts and never answers is bounded by --timeout', async () => {
    const sockets: import('node:net').Socket[] = [];
    const silent: Server = createServer((s) => { sockets.push(s); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }, ['--json', '--timeout', '1500']);
      assert.equal(run.code, 1);
      // 1.5 s of checks plus process start-up and the watchdog margin; generous for a loaded CI machine.
      assert.ok(run.elapsedMs < 10_000, `took ${run.elapsedMs} ms`);
      const checks = checksOf(run.report!);
      assert.equal(checks.protocol!.data!.spoken, 'silent');
      assert.equal(checks.export!.status, 'fail');
      assert.match(String(checks.export!.data!.type), /timeout/i);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
