// bench/cluster-scrape: one scrape of a 4-worker node:cluster with 10k counter series per
// worker, ours (the primary under the preload, gathering over IPC) against prom-client's
// AggregatorRegistry (clusterMetrics() behind an HTTP server), in the same run. Both answer a
// GET /metrics over loopback; both clusters run side by side and are scraped in turns, median
// of BENCH_ROUNDS rounds after one warm-up.
// Run: npm run build && npm ci --prefix bench && node bench/cluster-scrape.js
'use strict';
const cluster = require('node:cluster');
const http = require('node:http');
const path = require('node:path');

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
  // The parent: both clusters up side by side, scraped in turns (ours, theirs, ours, …), so a
  // busy machine slows both alike.
  const { fork } = require('node:child_process');
  const start = (name, env) => new Promise((resolve, reject) => {
    const child = fork(__filename, [], { env: { ...process.env, ...env, BENCH_IMPL: name }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  const scrape = (child) => new Promise((resolve) => { child.once('message', resolve); child.send('scrape'); });
  (async () => {
    const ours = await start('ours', {
      OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: process.env.BENCH_PORT ?? '29465',
      OTEL_EXPORTER_PROMETHEUS_COMPRESSION: 'none', OTEL_METRICS_INSTRUMENTATIONS: 'none', OTEL_METRICS_SELF_OBSERVABILITY_DISABLED: 'true',
      OTEL_METRICS_CLUSTER_SCRAPE_TIMEOUT: '10000',
    });
    const prom = await start('prom-client', {});
    const runs = { ours: [], prom: [] };
    let bytes = {};
    await scrape(ours);
    await scrape(prom);
    for (let i = 0; i < ROUNDS; i++) {
      const a = await scrape(ours);
      const b = await scrape(prom);
      runs.ours.push(a.ms);
      runs.prom.push(b.ms);
      bytes = { ours: a.bytes, prom: b.bytes };
    }
    const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const o = median(runs.ours);
    const p = median(runs.prom);
    console.log(`cluster scrape, ${WORKERS} workers x ${SERIES} series, GET /metrics, median of ${ROUNDS} alternating rounds:`);
    console.log(`  ours                           ${o.toFixed(1)} ms  (${(bytes.ours / 1e6).toFixed(2)} MB)`);
    console.log(`  prom-client AggregatorRegistry ${p.toFixed(1)} ms  (${(bytes.prom / 1e6).toFixed(2)} MB)`);
    console.log(`  ratio ours/prom-client: ${(o / p).toFixed(2)}`);
    ours.kill();
    prom.kill();
  })();
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
    process.on('message', async () => {
      const t = process.hrtime.bigint();
      const bytes = await get(port);
      process.send({ ms: Number(process.hrtime.bigint() - t) / 1e6, bytes });
    });
    process.on('disconnect', () => {
      for (const w of Object.values(cluster.workers)) w.kill();
      process.exit(0);
    });
    process.send('ready');
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
