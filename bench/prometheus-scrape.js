// bench/prometheus-scrape: the /metrics path against upstream @opentelemetry/exporter-prometheus
// and prom-client, in the same run, at 1k, 10k and 100k counter series (+1% histogram series).
//  1. Serialize: the same collected ResourceMetrics through upstream's PrometheusSerializer and
//     ours (all pieces produced, as a scrape consumes them); prom-client's register.metrics()
//     on the same series in its own model.
//  2. Full scrape: GET /metrics over loopback (no gzip, same request for all three), median.
//  3. Memory: each implementation in its own child process; peak RSS after setup, and the peak
//     a first scrape adds on top (transient memory), next to the response size.
// Run: npm run build && npm ci --prefix bench && node bench/prometheus-scrape.js
//      (BENCH_SERIES=1000,10000 to change the sizes, BENCH_ROUNDS for the sample)
'use strict';
const { spawnSync } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const SERIES = (process.env.BENCH_SERIES ?? '1000,10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const fromBench = (m) => require(require.resolve(m, { paths: [__dirname] }));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
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
  const bytes = await get(url);
  const rssScrapeMB = maxRssMB() - rssSetupMB;
  const scrapeMs = await timeAsync(() => get(url));
  const serializeMs = await timeAsync(async () => { await serialize(); });
  return { serializeMs, scrapeMs, bytes, rssSetupMB, rssScrapeMB };
}

function runChild(impl, n) {
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', impl, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${impl} ${n} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function main() {
  if (process.argv[2] === '--child') {
    process.stdout.write(`${JSON.stringify(await child(process.argv[3], Number(process.argv[4])))}\n`);
    process.exit(0);
  }
  console.log(`node ${process.version}; median of ${ROUNDS}; each implementation in its own process`);
  for (const n of SERIES) {
    const ours = runChild('ours', n);
    const upstream = runChild('upstream', n);
    const prom = runChild('prom-client', n);
    const f = (x) => x.toFixed(1).padStart(8);
    console.log(`\n${n} counter series + ${Math.max(10, n / 100)} histogram series; response ${(ours.bytes / 1e6).toFixed(2)} MB (upstream ${(upstream.bytes / 1e6).toFixed(2)} MB, prom-client ${(prom.bytes / 1e6).toFixed(2)} MB)`);
    console.log('                      serialize ms   scrape ms   peak RSS after setup MB   + during first scrape MB');
    for (const [name, r] of [['ours', ours], ['upstream', upstream], ['prom-client', prom]]) {
      console.log(`  ${name.padEnd(18)} ${f(r.serializeMs)}      ${f(r.scrapeMs)}    ${f(r.rssSetupMB)}                  ${f(r.rssScrapeMB)}`);
    }
    console.log(`  ratios: serialize upstream/ours ${(upstream.serializeMs / ours.serializeMs).toFixed(1)}x, prom-client/ours ${(prom.serializeMs / ours.serializeMs).toFixed(1)}x; ` +
      `scrape upstream/ours ${(upstream.scrapeMs / ours.scrapeMs).toFixed(1)}x, prom-client/ours ${(prom.scrapeMs / ours.scrapeMs).toFixed(1)}x; ` +
      `our scrape's transient RSS / response size ${((ours.rssScrapeMB * 1048576) / ours.bytes).toFixed(2)}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
