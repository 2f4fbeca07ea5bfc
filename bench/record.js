// bench/record: the record path an app pays on every measurement, counter.add and
// histogram.record, with fresh attribute objects (a literal per call) and reused ones:
//   - ours: the app under our preload (`--require dist/preload/register.js`, default settings,
//     self-observability on), recording through the global @opentelemetry/api meter;
//   - sdk-metrics: a plain upstream MeterProvider with one reader, nothing else;
//   - prom-client: Counter.inc / Histogram.observe with label objects.
// Ours and sdk-metrics run the same SDK code (@opentelemetry/sdk-metrics' SyncInstrument →
// attribute hashing → aggregation): this measures the SDK's cost, which we do not own.
// Each variant runs in its own process; BENCH_RECORD_ROUNDS interleaved rounds; CPU ns per call
// from process.cpuUsage(), median (min–max).
// Run: npm run build && npm ci --prefix bench && node bench/record.js
'use strict';
const path = require('node:path');
const { median, spread, printLoad, runJson, rotation } = require('./lib/stats');

const ROUNDS = Number(process.env.BENCH_RECORD_ROUNDS ?? 5);
const N = Number(process.env.BENCH_RECORD_CALLS ?? 300_000);
const SETS = 100; // distinct attribute sets, cycled: a realistic handful of series per instrument
const fromBench = (m) => require(require.resolve(m, { paths: [__dirname] }));
const register = path.join(__dirname, '..', 'dist', 'preload', 'register.js');
const VARIANTS = ['ours', 'sdk-metrics', 'prom-client'];
const CASES = ['counter, fresh attributes', 'counter, reused attributes', 'histogram, fresh attributes', 'histogram, reused attributes'];

function instruments(variant) {
  if (variant === 'prom-client') {
    const client = fromBench('prom-client');
    const registry = new client.Registry();
    const c = new client.Counter({ name: 'bench_requests_total', help: 'x', labelNames: ['route', 'status'], registers: [registry] });
    const h = new client.Histogram({ name: 'bench_latency_seconds', help: 'x', labelNames: ['route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10], registers: [registry] });
    return { add: (v, a) => c.inc(a, v), record: (v, a) => h.observe(a, v) };
  }
  let meter;
  if (variant === 'ours') {
    meter = fromBench('@opentelemetry/api').metrics.getMeter('bench');
  } else {
    const { MeterProvider, MetricReader } = fromBench('@opentelemetry/sdk-metrics');
    class Reader extends MetricReader { async onForceFlush() {} async onShutdown() {} }
    meter = new MeterProvider({ readers: [new Reader()] }).getMeter('bench');
  }
  const c = meter.createCounter('bench.requests');
  const h = meter.createHistogram('bench.latency', { unit: 's' });
  return { add: (v, a) => c.add(v, a), record: (v, a) => h.record(v, a) };
}

function child(variant) {
  const { add, record } = instruments(variant);
  const routes = Array.from({ length: SETS }, (_, i) => `/r/${i}`);
  const reused = routes.map((route) => ({ route, status: '200' }));
  const cases = {
    'counter, fresh attributes': (i) => add(1, { route: routes[i % SETS], status: '200' }),
    'counter, reused attributes': (i) => add(1, reused[i % SETS]),
    'histogram, fresh attributes': (i) => record((i % 997) / 1000, { route: routes[i % SETS], status: '200' }),
    'histogram, reused attributes': (i) => record((i % 997) / 1000, reused[i % SETS]),
  };
  const out = {};
  for (const name of CASES) {
    const f = cases[name];
    for (let i = 0; i < N / 5; i++) f(i); // warm-up: JIT, every series exists
    const c = process.cpuUsage();
    for (let i = 0; i < N; i++) f(i);
    const d = process.cpuUsage(c);
    out[name] = ((d.user + d.system) * 1000) / N;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

async function main() {
  console.log('## Record path (bench/record.js)\n');
  console.log(`${N} calls per case, ${SETS} attribute sets cycled; each variant in its own process, ${ROUNDS} interleaved rounds; node ${process.version}`);
  printLoad('load average before');
  const runs = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  const env = { ...process.env, OTEL_LOG_LEVEL: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' };
  for (let i = 0; i < ROUNDS; i++) {
    for (const v of rotation(VARIANTS, i)) runs[v].push(await runJson(__filename, ['--child', v], { env, nodeArgs: v === 'ours' ? ['-r', register] : [] }));
  }
  printLoad('load average after');
  console.log('\n| case | ours (preload) ns/call | sdk-metrics ns/call | prom-client ns/call | ours / sdk-metrics | ours / prom-client |');
  console.log('|---|---|---|---|---|---|');
  for (const name of CASES) {
    const col = (v) => runs[v].map((r) => r[name]);
    console.log(`| ${name} | ${spread(col('ours'), 0)} | ${spread(col('sdk-metrics'), 0)} | ${spread(col('prom-client'), 0)} | ${(median(col('ours')) / median(col('sdk-metrics'))).toFixed(2)} | ${(median(col('ours')) / median(col('prom-client'))).toFixed(2)} |`);
  }
  console.log('\nOurs and sdk-metrics are the same SDK code; the difference to prom-client is the SDK\'s cost (attribute hashing per call), not ours.');
}

if (process.argv[2] === '--child') child(process.argv[3]);
else main().catch((err) => { console.error(err); process.exit(1); });
