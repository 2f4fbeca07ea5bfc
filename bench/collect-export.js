// bench/collect-export: CPU of one forceFlush (collection + OTLP http/protobuf serialization +
// send to a local sink) at 1k, 10k and 100k points:
//   - ours: startMetrics() with the default settings (OTLP http/protobuf, self-observability on,
//     no producers so only the bench's points are exported);
//   - upstream: @opentelemetry/exporter-metrics-otlp-proto's OTLPMetricExporter behind a
//     PeriodicExportingMetricReader (interval out of the way), the canonical SDK setup.
// Each variant runs in its own process, BENCH_CE_ROUNDS interleaved rounds (rotated order); the
// sink lives in this process, so its CPU is not counted. CPU per forceFlush from
// process.cpuUsage() in the child, median of the measured flushes per process, then
// median (min–max) over the processes. Every flush has changed values (a counter add per series).
// Run: npm run build && npm ci --prefix bench && node bench/collect-export.js
'use strict';
const http = require('node:http');
const path = require('node:path');
const { median, spread, printLoad, runJson, rotation } = require('./lib/stats');

const POINTS = (process.env.BENCH_CE_POINTS ?? '1000,10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_CE_ROUNDS ?? 7);
// Measured flushes per process: at least 15, and enough that each process measures about 150k
// points. A 1k-point flush is 2 ms; with 15 of them the median sat inside V8's optimisation of
// one side or the other (flushes 10-15 read 1.3-1.4x steady state in one variant, 1.0x in the
// other, from run to run), so one run gave 0.86x and the next 1.32x with no code change between.
const flushesAt = (n) => Number(process.env.BENCH_CE_FLUSHES ?? Math.max(15, Math.round(150_000 / n)));
// Flushes before the measured ones: JIT and first-export work. 2 left V8 still optimising both
// sides' code in the measured flushes, so the figure was mostly compilation (10 ms where steady
// state is 2 ms at 1k points); a service flushing every 60 s reaches 10 within its first 10 minutes.
const WARMUP = Number(process.env.BENCH_CE_WARMUP ?? 10);
const dist = path.join(__dirname, '..', 'dist');
const fromBench = (m) => require(require.resolve(m, { paths: [__dirname] }));
// BENCH_CE_BASELINE=<a dist/ directory inside this checkout> adds that build (self-observability
// on) as a fourth variant in the same rounds: before/after figures from one machine state.
const BASELINE = process.env.BENCH_CE_BASELINE && path.resolve(process.env.BENCH_CE_BASELINE);
const VARIANTS = ['ours', 'ours-no-self', 'upstream', ...(BASELINE ? ['baseline'] : [])];

async function child(variant, n, url) {
  // An app has something of its own keeping the loop alive (a server, a timer). Without it our
  // unref'd sockets let the loop empty during the first flush, 'beforeExit' shuts the pipeline
  // down, and every later forceFlush returns at once having done nothing.
  const keepAlive = setInterval(() => {}, 1 << 30);
  let meterProvider;
  let flush;
  if (variant.startsWith('ours') || variant === 'baseline') {
    const { startMetrics } = require(path.join(variant === 'baseline' ? BASELINE : dist, 'src/index.js'));
    const handle = startMetrics({ instrumentations: [], setGlobal: false, selfObservability: variant !== 'ours-no-self', env: { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_LOG_LEVEL: 'none', OTEL_METRIC_EXPORT_INTERVAL: '3600000' } });
    meterProvider = handle.meterProvider;
    flush = () => handle.forceFlush();
  } else {
    const { MeterProvider, PeriodicExportingMetricReader } = fromBench('@opentelemetry/sdk-metrics');
    const { OTLPMetricExporter } = fromBench('@opentelemetry/exporter-metrics-otlp-proto');
    const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url }), exportIntervalMillis: 3_600_000 });
    // The SDK keeps 2,000 series per metric by default; ours raises nothing either, so spread the
    // points over metrics of 1,000 series each (what an app with many instruments looks like).
    meterProvider = new MeterProvider({ readers: [reader] });
    flush = () => reader.forceFlush();
  }
  const meter = meterProvider.getMeter('bench');
  const perMetric = 1000;
  const counters = Array.from({ length: Math.ceil(n / perMetric) }, (_, i) => meter.createCounter(`bench.requests.${i}`));
  const attrs = Array.from({ length: perMetric }, (_, i) => ({ 'http.route': `/r/${i % 100}`, 'tenant.id': `t-${i}` }));
  const touch = () => { for (let i = 0; i < n; i++) counters[Math.floor(i / perMetric)].add(1, attrs[i % perMetric]); };
  for (let i = 0; i < WARMUP; i++) { touch(); await flush(); }
  const cpu = [];
  for (let i = 0; i < flushesAt(n); i++) {
    touch();
    const c = process.cpuUsage();
    await flush();
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  clearInterval(keepAlive);
  process.stdout.write(`${JSON.stringify({ cpuMs: median(cpu) })}\n`);
  process.exit(0);
}

async function main() {
  let requests = 0;
  const sink = http.createServer((req, res) => { req.resume(); req.on('end', () => { requests++; res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(); }); });
  await new Promise((r) => sink.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${sink.address().port}/v1/metrics`;
  console.log('## Collect + export (bench/collect-export.js)\n');
  console.log(`CPU per forceFlush, OTLP http/protobuf to a local sink; counters of 1,000 series each; each variant in its own process, ${ROUNDS} interleaved rounds, median of ${POINTS.map((n) => `${flushesAt(n)} flushes at ${n}`).join(', ')} points per process after ${WARMUP} warm-up flushes; node ${process.version}`);
  printLoad('load average before');
  const rows = [];
  for (const n of POINTS) {
    const runs = Object.fromEntries(VARIANTS.map((v) => [v, []]));
    for (let i = 0; i < ROUNDS; i++) {
      for (const v of rotation(VARIANTS, i)) {
        const before = requests;
        runs[v].push((await runJson(__filename, ['--child', v, String(n), url])).cpuMs);
        // A flush that sent nothing would look free: every flush (and the warm-ups) must arrive.
        const sent = flushesAt(n) + WARMUP;
        if (requests - before < sent) throw new Error(`${v} at ${n} points: the sink got ${requests - before} requests for ${sent} flushes`);
      }
    }
    const base = BASELINE ? ` ${spread(runs.baseline, 2)} | ${(median(runs.baseline) / median(runs.upstream)).toFixed(2)}x |` : '';
    rows.push(`| ${n} | ${spread(runs.ours, 2)} | ${spread(runs['ours-no-self'], 2)} | ${spread(runs.upstream, 2)} | ${(median(runs.ours) / median(runs.upstream)).toFixed(2)}x | ${(median(runs['ours-no-self']) / median(runs.upstream)).toFixed(2)}x |${base}`);
  }
  printLoad('load average after');
  console.log(`\n| points | ours CPU ms/flush (defaults: self-observability on) | ours, self-observability off | upstream otlp-proto | ours / upstream | ours (self-observability off) / upstream |${BASELINE ? ' baseline build (self-observability on) | baseline / upstream |' : ''}`);
  console.log(`|---|---|---|---|---|---|${BASELINE ? '---|---|' : ''}`);
  for (const r of rows) console.log(r);
  sink.close();
}

if (process.argv[2] === '--child') void child(process.argv[3], Number(process.argv[4]), process.argv[5]);
else main().catch((err) => { console.error(err); process.exit(1); });
