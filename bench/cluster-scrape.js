// bench/cluster-scrape: one scrape of a 4-worker node:cluster with 10k counter series per
// worker, ours (the primary under the preload, gathering over IPC) against prom-client's
// AggregatorRegistry (clusterMetrics() behind an HTTP server), in the same run. Both answer a
// GET /metrics over loopback; median of BENCH_ROUNDS scrapes after one warm-up.
// Run: npm run build && npm ci --prefix bench && node bench/cluster-scrape.js
'use strict';
const cluster = require('node:cluster');
const http = require('node:http');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const SERIES = Number(process.env.BENCH_SERIES ?? 10000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const fromBench = (m) => require(require.resolve(m, { paths: [__dirname] }));
const impl = process.env.BENCH_IMPL;
// Ours in primary and workers alike, as the preload would start it, but above the SDK's default
// cardinality limit of 2000 series per metric (prom-client has none).
if (impl === 'ours') require('../dist/src/index.js').startMetrics({ views: [{ instrumentName: '*', aggregationCardinalityLimit: 1e7 }] });

function get(port) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (c) => { bytes += c.length; });
      res.on('end', () => resolve(bytes));
    }).on('error', reject);
  });
}

if (!impl) {
  // The parent: each implementation in its own cluster, one after the other.
  const run = (name, args, env) => {
    const r = spawnSync(process.execPath, [...args, __filename], { env: { ...process.env, ...env, BENCH_IMPL: name }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1));
  };
  const ours = run('ours', [], {
    OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: process.env.BENCH_PORT ?? '29465',
    OTEL_EXPORTER_PROMETHEUS_COMPRESSION: 'none', OTEL_METRICS_INSTRUMENTATIONS: 'none', OTEL_METRICS_SELF_OBSERVABILITY_DISABLED: 'true',
    OTEL_METRICS_CLUSTER_SCRAPE_TIMEOUT: '10000',
  });
  const prom = run('prom-client', [], {});
  console.log(`cluster scrape, ${WORKERS} workers x ${SERIES} series, median of ${ROUNDS}:`);
  console.log(`  ours                          ${ours.ms.toFixed(1)} ms  (${(ours.bytes / 1e6).toFixed(2)} MB)`);
  console.log(`  prom-client AggregatorRegistry ${prom.ms.toFixed(1)} ms  (${(prom.bytes / 1e6).toFixed(2)} MB)`);
  console.log(`  ratio ours/prom-client: ${(ours.ms / prom.ms).toFixed(2)}`);
} else if (cluster.isPrimary) {
  (async () => {
    let port;
    if (impl === 'prom-client') {
      const { AggregatorRegistry } = fromBench('prom-client');
      const registry = new AggregatorRegistry();
      const server = http.createServer(async (_req, res) => {
        const body = await registry.clusterMetrics();
        res.writeHead(200, { 'content-type': registry.contentType }).end(body);
      });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      port = server.address().port;
    } else {
      port = Number(process.env.OTEL_EXPORTER_PROMETHEUS_PORT);
    }
    let ready = 0;
    await new Promise((resolve) => {
      for (let i = 0; i < WORKERS; i++) cluster.fork().on('message', (m) => { if (m === 'ready' && ++ready === WORKERS) resolve(); });
    });
    await get(port);
    const ms = [];
    let bytes = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const t = process.hrtime.bigint();
      bytes = await get(port);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    ms.sort((a, b) => a - b);
    console.log(JSON.stringify({ ms: ms[Math.floor(ms.length / 2)], bytes }));
    for (const w of Object.values(cluster.workers)) w.kill();
    process.exit(0);
  })();
} else {
  if (impl === 'prom-client') {
    const client = fromBench('prom-client');
    new client.AggregatorRegistry(); // installs the worker's answer to the primary's requests
    const c = new client.Counter({ name: 'bench_requests_total', help: 'Requests', labelNames: ['http_route', 'tenant_id'] });
    for (let i = 0; i < SERIES; i++) c.inc({ http_route: `/r/${i % 100}`, tenant_id: `t-${i}` }, i + 1);
  } else {
    const { metrics } = fromBench('@opentelemetry/api');
    const c = metrics.getMeter('bench').createCounter('bench.requests', { description: 'Requests' });
    for (let i = 0; i < SERIES; i++) c.add(i + 1, { 'http.route': `/r/${i % 100}`, 'tenant.id': `t-${i}` });
  }
  process.send('ready');
}
