import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePort } from '../helpers/free-port';
import { decodeJson, points } from '../helpers/otlp-decode';
import { havePeer } from '../helpers/peers';
import { fixture, runApp, startApp } from '../helpers/spawn-app';
import { assertKnownValues } from '../helpers/known-values';
import { PrometheusServer } from '../helpers/prometheus-server';
import { setTimeout as sleep } from 'node:timers/promises';

describe('prometheus exporter', () => {
  it('serves /metrics that the real promtool accepts', async (t) => {
    if (!havePeer(t, 'promtool')) return;
    const port = await freePort();
    const app = startApp(fixture('long-app.js'), {
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      OTEL_SERVICE_NAME: 'prom-test',
      // The default instrumentations stay on: their semconv `.count` gauges must lint clean too.
    });
    try {
      await app.waitForOutput(/ready/);
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(body, /^app_requests_total\{route="\/a",otel_scope_name="fixture-app".*\} 7$/m);
      assert.match(body, /^app_latency_seconds_count\{.*\} 3$/m);
      assert.match(body, /^target_info\{.*service_name="prom-test".*\} 1$/m);
      assert.match(body, /^# TYPE process_threads gauge$/m, 'process.thread.count {thread} is process_threads');
      assert.match(body, /^# TYPE process_unix_file_descriptors gauge$/m);
      assert.match(body, /^# TYPE nodejs_eventloop_utilization_ratio gauge$/m, 'the default producers are on');
      execFileSync('promtool', ['check', 'metrics'], { input: body, stdio: ['pipe', 'pipe', 'pipe'] });
      assert.equal(app.stderr(), '');
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
    }
  });

  it('is scraped by a real Prometheus server, which stores the values', async (t) => {
    if (!havePeer(t, 'prometheus')) return;
    const port = await freePort();
    const app = startApp(fixture('long-app.js'), {
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      OTEL_SERVICE_NAME: 'scraped',
    });
    let prometheus: PrometheusServer | undefined;
    try {
      await app.waitForOutput(/ready/);
      prometheus = await PrometheusServer.start(`127.0.0.1:${port}`);
      let result: Awaited<ReturnType<PrometheusServer['query']>> = [];
      for (let i = 0; i < 100 && result.length === 0; i++) {
        await sleep(200);
        result = await prometheus.query('app_requests_total');
      }
      assert.equal(result.length, 1, `no sample; target: ${await prometheus.targetHealth()}`);
      assert.equal(result[0]!.value[1], '7');
      assert.equal(result[0]!.metric.route, '/a');
      assert.equal(await prometheus.targetHealth(), 'up');
      const latency = await prometheus.query('app_latency_seconds_count');
      assert.equal(latency[0]!.value[1], '3');
      const info = await prometheus.query('target_info');
      assert.equal(info[0]!.metric.service_name, 'scraped');
    } finally {
      await prometheus?.stop();
      app.child.kill('SIGTERM');
      await app.exited;
    }
  });

  it('a busy port is one clear line; the other exporters keep working', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const result = await runApp(fixture('short-app.js'), {
        OTEL_METRICS_EXPORTER: 'prometheus,console',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      });
      assert.equal(result.code, 0);
      assert.match(result.stderr, new RegExp(`cannot serve Prometheus metrics on 127.0.0.1:${port} \\(EADDRINUSE\\)`));
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stdout, /^app\.requests\{route="\/a"\} 7 \{request\}$/m);
    } finally {
      blocker.close();
    }
  });
});

describe('stdout exporters', () => {
  it('console prints one line per data point at exit', async () => {
    // The default producers stay out: this checks the line format on the app's own metrics.
    const result = await runApp(fixture('short-app.js'), { OTEL_METRICS_EXPORTER: 'console', OTEL_METRICS_SELF_OBSERVABILITY_DISABLED: 'true', OTEL_METRICS_INSTRUMENTATIONS: 'none' });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, [
      'app.requests{route="/a"} 7 {request}',
      'app.latency{route="/a"} count=3 sum=0.6 min=0.1 max=0.3 p50=0.2 p90=0.28 p99=0.298 s',
      'app.inflight 2',
      'app.temperature 21.5 Cel',
      '',
    ].join('\n'));
  });

  it('otlp/stdout prints one OTLP JSON line per export, decodable by our schema', async () => {
    const result = await runApp(fixture('short-app.js'), { OTEL_METRICS_EXPORTER: 'otlp/stdout', OTEL_SERVICE_NAME: 'json-line' });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    const decoded = points(decodeJson(lines[0]!));
    assertKnownValues(decoded);
    assert.equal(decoded[0]!.resource['service.name'], 'json-line');
  });

  it('stdout exporters honour OTEL_METRIC_EXPORT_INTERVAL', async () => {
    const result = await runApp(fixture('idle-app.js'), { OTEL_METRICS_EXPORTER: 'otlp/stdout', OTEL_METRIC_EXPORT_INTERVAL: '200', IDLE_APP_MS: '1100' });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(lines.length >= 4, `${lines.length} lines`);
  });
});

describe('exporters registered in code', () => {
  it('are selected by OTEL_METRICS_EXPORTER even though the app registers after the preload', async () => {
    const result = await runApp(fixture('registered-app.js'), { OTEL_METRICS_EXPORTER: 'capture' });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^CAPTURE app\.requests 1$/m);
    assert.match(result.stdout, /^CAPTURE app\.latency 1$/m);
  });
});

describe('bad configuration', () => {
  it('prints one line per bad value, keeps the app running, and the valid parts work', async () => {
    const result = await runApp(fixture('short-app.js'), {
      OTEL_METRICS_EXPORTER: 'console,carrier-pigeon',
      OTEL_METRIC_EXPORT_INTERVAL: 'often',
      // Each exporter reads only its own variables, and only when selected: this one is not read.
      OTEL_EXPORTER_OTLP_PROTOCOL: 'smoke-signals',
      OTEL_METRICS_RETRY_MAX_INTERVAL: 'soon',
      OTEL_LOG_LEVEL: 'chatty',
      OTEL_SDK_DISABLED: 'nope',
    });
    assert.equal(result.code, 0);
    const lines = result.stderr.trimEnd().split('\n');
    const expected = [
      /invalid OTEL_SDK_DISABLED="nope" \(expected "true" or "false"\); using false/,
      /invalid OTEL_LOG_LEVEL="chatty" \(expected one of none, error, warn, info, debug, verbose, all\); using info/,
      /invalid OTEL_METRIC_EXPORT_INTERVAL="often" \(expected a whole number of milliseconds > 0\); using 60000/,
      /invalid OTEL_METRICS_RETRY_MAX_INTERVAL="soon" \(expected a whole number of milliseconds > 0\); using 30000/,
      /unknown exporter "carrier-pigeon" in OTEL_METRICS_EXPORTER; supported: otlp, prometheus, console, otlp\/stdout, prometheus\/pushgateway, influxdb, none; ignoring it/,
    ];
    assert.equal(lines.length, expected.length, result.stderr);
    for (const pattern of expected) assert.ok(lines.some((l) => pattern.test(l)), `${pattern} not in:\n${result.stderr}`);
    assert.match(result.stdout, /^app\.requests\{route="\/a"\} 7 \{request\}$/m);
  });

  it('a broken exporter factory costs only that exporter', async () => {
    const result = await runApp(fixture('short-app.js'), {
      OTEL_METRICS_EXPORTER: 'otlp,console',
      OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY: '/nonexistent/key.pem',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:9/v1/metrics',
      OTEL_METRIC_EXPORT_TIMEOUT: '1000',
    });
    assert.equal(result.code, 0);
    assert.match(result.stderr, /cannot read OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY="\/nonexistent\/key.pem" \(ENOENT\); using no client certificate/);
    assert.match(result.stdout, /^app\.requests\{route="\/a"\} 7 \{request\}$/m);
  });
});
