import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/free-port';
import { loadDashboards, panelQueries, regexEscape, substitute, type Dashboard, type PanelQuery } from '../helpers/grafana-dashboards';
import { InfluxServer } from '../helpers/influxdb-server';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { havePeer } from '../helpers/peers';
import { PrometheusServer } from '../helpers/prometheus-server';
import { fixture, ROOT, startApp, type RunningApp } from '../helpers/spawn-app';

// The demo (examples/demo.js: examples/http-service.js under the preload, plus its load generator)
// is scraped every second by a real Prometheus 2.42 and also writes to a real InfluxDB (the schema
// the compose Collector writes) and to an OTLP receiver that fails two requests, so that the
// pipeline-health panels have retries, drops and failed attempts to show. Every panel query of
// the dashboards, variables substituted as Grafana does, must return data. The conditional
// (container) panels are checked against a second process that reads a cgroup v2 with limits
// under a fake root, since the machine running the tests may have none.
const SCRAPE_SECONDS = 1;
// Grafana's $__rate_interval: max($__interval + scrape interval, 4 × scrape interval).
const RATE_INTERVAL = `${4 * SCRAPE_SECONDS}s`;
const SERVICE = 'demo-http-service';
const CONTAINER_SERVICE = 'container-fixture';
// What a cgroup v2 container with a 512 MiB memory limit and 1.5 CPUs shows the process.
const CGROUP_V2 = {
  'sys/fs/cgroup/cgroup.controllers': 'cpu memory\n',
  'proc/self/cgroup': '0::/app\n',
  'sys/fs/cgroup/app/memory.max': '536870912\n',
  'sys/fs/cgroup/app/memory.current': '1048576\n',
  'sys/fs/cgroup/app/cpu.max': '150000 100000\n',
  'sys/fs/cgroup/app/cpu.stat': 'usage_usec 3000000\nuser_usec 2000000\nsystem_usec 1000000\n',
};
const DEADLINE_MS = 30_000;

type Matrix = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

async function promApi<T>(prometheus: PrometheusServer, path: string, params: Record<string, string | number>): Promise<{ status: string; error?: string; data: T }> {
  const res = await fetch(`${prometheus.url}/api/v1/${path}`, { method: 'POST', body: new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))) });
  return (await res.json()) as { status: string; error?: string; data: T };
}

/** Values of a `label_values(selector, label)` variable query, as Grafana gets them (series API). */
async function labelValues(prometheus: PrometheusServer, query: string, since: number): Promise<string[]> {
  const m = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
  assert.ok(m, `variable query ${query}`);
  const body = await promApi<Array<Record<string, string>>>(prometheus, 'series', { 'match[]': m[1]!, start: since, end: Date.now() / 1000 });
  assert.equal(body.status, 'success', body.error);
  return [...new Set(body.data.map((s) => s[m[2]!]).filter((v): v is string => v !== undefined))].sort();
}

describe('the provisioned Grafana dashboards against real data', () => {
  const dashboards = loadDashboards();
  let dir: string;
  let prometheus: PrometheusServer | undefined;
  let influx: InfluxServer | undefined;
  let receiver: OtlpReceiver | undefined;
  let demo: RunningApp | undefined;
  let container: RunningApp | undefined;
  let since = 0;
  let starting: Promise<void> | undefined;

  /** Starts the peers and the demo once, for both tests; false when a peer is missing (skipped). */
  async function ready(t: TestContext): Promise<boolean> {
    if (!havePeer(t, 'prometheus') || !havePeer(t, 'influxd', ['version'])) return false;
    await (starting ??= start());
    return true;
  }

  async function start(): Promise<void> {
    dir = mkdtempSync(join(tmpdir(), 'omp-grafana-'));
    since = Date.now() / 1000 - 1;
    // Request 1 is answered 503 (retried), request 2 400 (given up on: a drop).
    receiver = await OtlpReceiver.start({ reply: (n) => (n === 1 ? { httpStatus: 503, retryAfter: '0' } : n === 2 ? { httpStatus: 400 } : undefined) });
    const [demoPort, metricsPort, containerPort] = [await freePort(), await freePort(), await freePort()];
    [prometheus, influx] = await Promise.all([
      PrometheusServer.start([`127.0.0.1:${metricsPort}`, `127.0.0.1:${containerPort}`]),
      InfluxServer.start({ databases: ['metrics'] }),
    ]);
    demo = startApp(join(ROOT, 'examples/demo.js'), {
      DEMO_PORT: String(demoPort),
      OTEL_METRICS_EXPORTER: 'prometheus,otlp,influxdb',
      OTEL_METRICS_INSTRUMENTATIONS: 'all',
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
      OTEL_EXPORTER_INFLUXDB_ENDPOINT: influx.url,
      OTEL_EXPORTER_INFLUXDB_API: 'v1',
      OTEL_EXPORTER_INFLUXDB_DATABASE: 'metrics',
      OTEL_METRICS_QUEUE_DIR: join(dir, 'spool'),
    }, []);
    // The container panels' condition, met by a second process reading a cgroup v2 under a fake root.
    const root = join(dir, 'root');
    for (const [path, text] of Object.entries(CGROUP_V2)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    container = startApp(fixture('container-app.js'), {
      FAKE_ROOT: root,
      OTEL_SERVICE_NAME: CONTAINER_SERVICE,
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(containerPort),
    }, []);
  }

  /** The dashboard variables for `service`, resolved the way Grafana resolves them, in order. */
  async function variables(service: string): Promise<Record<string, string>> {
    const prom = prometheus!;
    const started = Date.now();
    const values: Record<string, string> = { __rate_interval: RATE_INTERVAL };
    const first = [...dashboards.values()][0] as Dashboard;
    for (const v of first.templating.list) {
      let options: string[] = [];
      while (Date.now() - started < DEADLINE_MS) {
        options = await labelValues(prom, substitute(v.query, values), since);
        if (options.length > 0 && (v.name !== 'service_name' || options.includes(service))) break;
        await sleep(250);
      }
      const chosen = v.name === 'service_name' ? service : options[0];
      assert.ok(chosen !== undefined && options.includes(chosen), `variable ${v.name}: ${chosen} not among ${JSON.stringify(options)}; target ${await prom.targetHealth()}`);
      // Inside a PromQL string literal the regex escape's backslash is itself escaped.
      values[v.name] = v.includeAll ? regexEscape(chosen).replace(/\\/g, '\\\\') : chosen;
    }
    return values;
  }

  /** Waits until every query in `queries` has returned data; returns those that never did. */
  async function withoutData(queries: PanelQuery[], values: Record<string, string>): Promise<string[]> {
    const started = Date.now();
    const pending = new Set(queries);
    const failures: string[] = [];
    const hasData = async (q: PanelQuery): Promise<boolean> => {
      const body = await promApi<{ resultType: string; result: Matrix }>(prometheus!, 'query_range', { query: substitute(q.text, values), start: since, end: Date.now() / 1000, step: SCRAPE_SECONDS });
      if (body.status !== 'success') failures.push(`${q.dashboard} / ${q.panel.title} ${q.refId}: ${body.error}`);
      return body.status === 'success' && body.data.result.some((r) => r.values.some(([, v]) => Number.isFinite(Number(v))));
    };
    while (pending.size > 0 && failures.length === 0 && Date.now() - started < DEADLINE_MS) {
      for (const q of [...pending]) if (await hasData(q)) pending.delete(q);
      if (pending.size > 0) await sleep(500);
    }
    assert.deepEqual(failures, []);
    return [...pending].map((q) => `${q.dashboard} / ${q.panel.title} ${q.refId}: ${substitute(q.text, values)}`);
  }

  after(async () => {
    container?.child.kill('SIGKILL');
    if (demo) {
      demo.child.kill('SIGTERM'); // demo.js stops its load and SIGTERMs the service, then exits with it
      const killer = setTimeout(() => demo!.child.kill('SIGKILL'), 10_000);
      await demo.exited;
      clearTimeout(killer);
    }
    prometheus?.stop();
    await influx?.stop();
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every PromQL panel query returns data, except panels documented as conditional', async (t) => {
    if (!(await ready(t))) return;
    const queries = panelQueries(dashboards, 'prometheus');
    assert.ok(queries.length >= 50, `${queries.length} PromQL queries`);
    const values = await variables(SERVICE);
    assert.deepEqual(await withoutData(queries.filter((q) => !q.conditional), values), [], `no data within ${DEADLINE_MS} ms`);
  });

  it('the conditional panels return data when their condition holds (a cgroup v2 with limits)', async (t) => {
    if (!(await ready(t))) return;
    const conditional = panelQueries(dashboards, 'prometheus').filter((q) => q.conditional);
    assert.ok(conditional.length > 0);
    assert.deepEqual(await withoutData(conditional, await variables(CONTAINER_SERVICE)), [], `no data within ${DEADLINE_MS} ms`);
  });

  it('every InfluxQL panel query returns data from what the pipeline wrote', async (t) => {
    if (!(await ready(t))) return;
    const started = Date.now();
    // Grafana's InfluxDB data source fills these in from the time picker and panel width.
    const values = { service_name: regexEscape(SERVICE), timeFilter: 'time > now() - 5m', __interval: `${2 * SCRAPE_SECONDS}s` };
    const queries = panelQueries(dashboards, 'influxdb');
    assert.ok(queries.length >= 6, `${queries.length} InfluxQL queries`);
    const pending = new Set(queries);
    const hasData = async (q: PanelQuery): Promise<boolean> => {
      const series = await influx!.query(substitute(q.text, values), 'metrics');
      return series.some((s) => s.values.some((row) => row.slice(1).some((v) => typeof v === 'number')));
    };
    while (pending.size > 0 && Date.now() - started < DEADLINE_MS) {
      for (const q of [...pending]) if (await hasData(q)) pending.delete(q);
      if (pending.size > 0) await sleep(500);
    }
    assert.deepEqual([...pending].map((q) => `${q.dashboard} / ${q.panel.title}: ${substitute(q.text, values)}`), []);
  });
});
