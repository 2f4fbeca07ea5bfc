// bench/prometheus-scrape: the /metrics path against upstream @opentelemetry/exporter-prometheus
// and prom-client, in the same run, at 1k, 10k and 100k counter series (+1% histogram series).
//  1. Serialize: the same collected ResourceMetrics through upstream's PrometheusSerializer and
//     ours (all pieces produced, as a scrape consumes them); prom-client's register.metrics()
//     on the same series in its own model.
//  2. Full scrape: GET /metrics over loopback (no gzip, same request for all three), median.
//  3. First scrape: the first GET of a fresh process (cold serializer, first collection).
//  4. Memory: peak RSS after setup, and the peak a first scrape adds on top (transient memory).
// Each implementation runs in its own child process, BENCH_PROCESS_ROUNDS interleaved rounds.
// Run: npm run build && npm ci --prefix bench && node bench/prometheus-scrape.js
//      (BENCH_SERIES=1000,10000 to change the sizes, BENCH_ROUNDS, BENCH_PROCESS_ROUNDS for the sample)
'use strict';
const { spawnSync } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const SERIES = (process.env.BENCH_SERIES ?? '1000,10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const fromBench = (m) => require(require.resolve(m, { paths: [__dirname] }));

const { median, spread, printLoad, rotation } = require('./lib/stats');
function time(fn, rounds = ROUNDS) {
  const ms = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(ms);
}
async function timeAsync(fn, rounds = ROUNDS) {
  const ms = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(ms);
}
function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (c) => { bytes += c.length; });
      res.on('end', () => resolve(bytes));
    }).on('error', reject);
  });
}

// The same instruments and series for both OTel readers.
function record(meter, n) {
  const requests = meter.createCounter('bench.requests', { unit: '{request}', description: 'Requests' });
  for (let i = 0; i < n; i++) requests.add(i + 1, { 'http.route': `/r/${i % 100}`, 'tenant.id': `t-${i}` });
  const latency = meter.createHistogram('bench.latency', { unit: 's', description: 'Latency' });
  for (let i = 0; i < Math.max(10, n / 100); i++) latency.record((i % 50) / 100, { 'tenant.id': `t-${i}` });
}

function promClientRegistry(n) {
  const client = fromBench('prom-client');
  const registry = new client.Registry();
  const requests = new client.Counter({ name: 'bench_requests_total', help: 'Requests', labelNames: ['http_route', 'tenant_id'], registers: [registry] });
  for (let i = 0; i < n; i++) requests.inc({ http_route: `/r/${i % 100}`, tenant_id: `t-${i}` }, i + 1);
  const latency = new client.Histogram({ name: 'bench_latency_seconds', help: 'Latency', labelNames: ['tenant_id'], registers: [registry] });
  for (let i = 0; i < Math.max(10, n / 100); i++) latency.observe({ tenant_id: `t-${i}` }, (i % 50) / 100);
  return registry;
}

// One implementation, one size, in a fresh process: { serializeMs, scrapeMs, bytes, rssSetupMB, rssScrapeMB }.
async function child(impl, n) {
  const maxRssMB = () => process.resourceUsage().maxRSS / 1024;
  let serialize;
  let url;
  if (impl === 'prom-client') {
    const registry = promClientRegistry(n);
    serialize = () => registry.metrics();
    const server = http.createServer(async (req, res) => {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType }).end(body);
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    server.unref();
    url = `http://127.0.0.1:${server.address().port}/metrics`;
  } else {
    const { MeterProvider } = impl === 'ours' ? require('@opentelemetry/sdk-metrics') : fromBench('@opentelemetry/sdk-metrics');
    let reader;
    if (impl === 'ours') {
      const { PrometheusPullReader } = require(path.join(dist, 'exporters/prometheus/prometheus-pull-reader.js'));
      reader = new PrometheusPullReader({ host: '127.0.0.1', port: 0, compression: 'none' });
    } else {
      const { PrometheusExporter } = fromBench('@opentelemetry/exporter-prometheus');
      reader = new PrometheusExporter({ host: '127.0.0.1', port: 0, preventServerStart: true });
    }
    // The SDK keeps 2,000 series per metric by default; the bench needs all of them.
    const provider = new MeterProvider({ readers: [reader], views: [{ instrumentName: '*', aggregationCardinalityLimit: 1e7 }] });
    record(provider.getMeter('bench', '1.0.0'), n);
    const { resourceMetrics } = await reader.collect();
    if (impl === 'ours') {
      const { PrometheusSerializer } = require(path.join(dist, 'exporters/prometheus/prometheus-serializer.js'));
      const s = new PrometheusSerializer();
      serialize = () => { let len = 0; for (const piece of s.serialize(resourceMetrics)) len += piece.length; return len; };
      await reader.startServer();
      url = `${reader.url}/metrics`;
    } else {
      const { PrometheusSerializer } = fromBench('@opentelemetry/exporter-prometheus');
      const s = new PrometheusSerializer();
      serialize = () => s.serialize(resourceMetrics).length;
      const server = http.createServer(reader.getMetricsRequestHandler.bind(reader));
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      server.unref();
      url = `http://127.0.0.1:${server.address().port}/metrics`;
    }
  }
  global.gc?.();
  const rssSetupMB = maxRssMB();
  const t0 = performance.now();
  const bytes = await get(url);
  const firstScrapeMs = performance.now() - t0;
  const rssScrapeMB = maxRssMB() - rssSetupMB;
  const scrapeMs = await timeAsync(() => get(url));
  const serializeMs = await timeAsync(async () => { await serialize(); });
  return { serializeMs, scrapeMs, firstScrapeMs, bytes, rssSetupMB, rssScrapeMB };
}

function runChild(impl, n) {
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', impl, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${impl} ${n} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const PROCESS_ROUNDS = Number(process.env.BENCH_PROCESS_ROUNDS ?? 5);
const IMPLS = ['ours', 'upstream', 'prom-client'];

async function main() {
  if (process.argv[2] === '--child') {
    process.stdout.write(`${JSON.stringify(await child(process.argv[3], Number(process.argv[4])))}\n`);
    process.exit(0);
  }
  console.log('## Prometheus scrape (bench/prometheus-scrape.js)\n');
  console.log(`node ${process.version}; each implementation in its own process, ${PROCESS_ROUNDS} interleaved rounds (rotated order); within a process, median of ${ROUNDS}`);
  printLoad('load average before');
  for (const n of SERIES) {
    const runs = Object.fromEntries(IMPLS.map((k) => [k, []]));
    for (let i = 0; i < PROCESS_ROUNDS; i++) for (const impl of rotation(IMPLS, i)) runs[impl].push(runChild(impl, n));
    const col = (impl, key, d = 1) => spread(runs[impl].map((r) => r[key]), d);
    const med = (impl, key) => median(runs[impl].map((r) => r[key]));
    console.log(`\n### ${n} counter series + ${Math.max(10, n / 100)} histogram series; response ${(runs.ours[0].bytes / 1e6).toFixed(2)} MB (upstream ${(runs.upstream[0].bytes / 1e6).toFixed(2)} MB, prom-client ${(runs['prom-client'][0].bytes / 1e6).toFixed(2)} MB)\n`);
    console.log('| implementation | first scrape ms | scrape ms | serialize ms | peak RSS after setup MB | + during first scrape MB |');
    console.log('|---|---|---|---|---|---|');
    for (const impl of IMPLS) console.log(`| ${impl} | ${col(impl, 'firstScrapeMs')} | ${col(impl, 'scrapeMs', 2)} | ${col(impl, 'serializeMs', 2)} | ${col(impl, 'rssSetupMB')} | ${col(impl, 'rssScrapeMB')} |`);
    console.log(`\nratios of medians at ${n} series: serialize upstream/ours ${(med('upstream', 'serializeMs') / med('ours', 'serializeMs')).toFixed(1)}x, prom-client/ours ${(med('prom-client', 'serializeMs') / med('ours', 'serializeMs')).toFixed(1)}x; ` +
      `scrape upstream/ours ${(med('upstream', 'scrapeMs') / med('ours', 'scrapeMs')).toFixed(1)}x, prom-client/ours ${(med('prom-client', 'scrapeMs') / med('ours', 'scrapeMs')).toFixed(1)}x; ` +
      `first scrape ours/prom-client ${(med('ours', 'firstScrapeMs') / med('prom-client', 'firstScrapeMs')).toFixed(2)}x`);
  }
  printLoad('load average after');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
