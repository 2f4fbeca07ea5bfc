import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { runDoctor } from '../../src/doctor/run-doctor';
import type { DoctorReport } from '../../src/doctor/doctor-report';
import { freePort } from '../helpers/free-port';
import { fixture, startApp, type RunningApp } from '../helpers/spawn-app';

const portCheck = (r: DoctorReport, name = 'prometheus') => r.destinations.find((d) => d.name === name)!.checks.find((c) => c.name === 'port')!;

/** The long-running fixture app under the preload, once `url` answers (any status). */
async function liveApp(env: Record<string, string>, url: string): Promise<RunningApp> {
  const app = startApp(fixture('long-app.js'), { OTEL_METRIC_EXPORT_INTERVAL: '60000', ...env });
  for (let i = 0; i < 200; i++) {
    if (await fetch(url).then(() => true, () => false)) return app;
    if (app.child.exitCode !== null) break;
    await sleep(50);
  }
  app.child.kill('SIGKILL');
  throw new Error(`the app never served ${url}: ${app.stderr()}`);
}

async function stop(app: RunningApp): Promise<void> {
  app.child.kill('SIGKILL');
  await app.exited;
}

async function listen(server: Server | ReturnType<typeof createTcpServer>, port: number): Promise<void> {
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
}

describe('doctor next to a live setup', () => {
  it('a taken Prometheus port held by the running app passes with its series count, with and without basic auth', async () => {
    for (const auth of [false, true]) {
      const port = await freePort();
      const env: Record<string, string> = { OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(port) };
      if (auth) Object.assign(env, { OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_USERNAME: 'scraper', OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_PASSWORD: 's3cret-pw' });
      const app = await liveApp(env, `http://127.0.0.1:${port}/metrics`);
      try {
        const report = await runDoctor({ env, send: false });
        const check = portCheck(report);
        assert.equal(check.status, 'ok', check.detail);
        assert.match(check.detail, /held by this pipeline's endpoint \(the app running now\): scraped http:\/\/127\.0\.0\.1:\d+\/metrics, \d+ series/);
        assert.ok((check.data!.series as number) > 10, `series ${check.data!.series}`);
        assert.ok(check.millis! >= 0);
        assert.equal(report.exitCode, 0, JSON.stringify(report.destinations));
        assert.doesNotMatch(JSON.stringify(report), /s3cret-pw/);
        if (auth) {
          // The same app with a wrong password in the doctor's environment: ours, but refused.
          const wrong = await runDoctor({ env: { ...env, OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_PASSWORD: 'other' }, send: false });
          assert.equal(portCheck(wrong).status, 'fail');
          assert.match(portCheck(wrong).detail, /refuses the configured credentials \(HTTP 401\)/);
        }
      } finally {
        await stop(app);
      }
    }
  });

  it('a foreign HTTP server on the port is named by its Server header, then FAIL; a non-HTTP holder is called that', async () => {
    const port = await freePort();
    const foreign = createHttpServer((_req, res) => res.writeHead(200, { server: 'nginx/1.25.3' }).end('hello\n'));
    await listen(foreign, port);
    const env = { OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(port) };
    try {
      const report = await runDoctor({ env, send: false });
      const check = portCheck(report);
      assert.equal(check.status, 'fail');
      assert.match(check.detail, /held by an HTTP server calling itself "nginx\/1\.25\.3" \(HTTP 200\), not by this pipeline/);
      assert.equal(report.exitCode, 1);
    } finally {
      foreign.closeAllConnections();
      await new Promise((r) => foreign.close(r));
    }
    const sockets = new Set<import('node:net').Socket>();
    const ssh = createTcpServer((socket) => { sockets.add(socket); socket.end('SSH-2.0-OpenSSH_9.2\r\n'); });
    await listen(ssh, port);
    try {
      const check = portCheck(await runDoctor({ env, send: false }));
      assert.equal(check.status, 'fail');
      assert.match(check.detail, /held by something that does not speak HTTP/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => ssh.close(r));
    }
  });

  it('the health port: the running app passes with its status, a foreign holder fails named', async () => {
    const port = await freePort();
    const env = { OTEL_METRICS_EXPORTER: 'console', OTEL_METRICS_HEALTH_PORT: String(port) };
    const app = await liveApp(env, `http://127.0.0.1:${port}/healthz`);
    try {
      const report = await runDoctor({ env, send: false });
      assert.equal(report.health?.target, `http://127.0.0.1:${port}`);
      const check = report.health!.checks[0]!;
      assert.equal(check.status, 'ok', check.detail);
      assert.match(check.detail, /held by this pipeline's health endpoint \(the app running now\): \/healthz answered HTTP 200, status (ok|degraded)/);
    } finally {
      await stop(app);
    }
    const foreign = createHttpServer((_req, res) => res.writeHead(404, { server: 'Caddy' }).end());
    await listen(foreign, port);
    try {
      const report = await runDoctor({ env, send: false });
      assert.equal(report.health!.status, 'fail');
      assert.match(report.health!.checks[0]!.detail, /held by an HTTP server calling itself "Caddy" \(HTTP 404\)/);
      assert.equal(report.exitCode, 1);
    } finally {
      foreign.closeAllConnections();
      await new Promise((r) => foreign.close(r));
    }
  });
});
