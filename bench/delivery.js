// bench/delivery: what the delivery decorators cost, against the upstream OTLP exporter.
//  1. Healthy path: K batches of 1,000 points sent one after another to a local OTLP sink, each
//     variant in a process of its own, interleaved rounds, by
//     - upstream @opentelemetry/exporter-metrics-otlp-proto (its built-in retry, no queue),
//     - our OTLP exporter bare,
//     - our OTLP exporter inside withQueue(withRetry(...)), as the preload builds it.
//     Wall time and CPU time per batch, and the ratios.
//  2. Outage: 60 collections of 10,000 delta streams while the destination is down: retained
//     heap per stream in our coalescing queue, against keeping every batch (what any list-based
//     queue does).
//  3. Exit latency and 4. recovery after an outage, real processes under the preload against
//     upstream's OTLP exporter and reader: see bench/delivery-exit.js.
// Run: npm run bench:delivery   (node --expose-gc; BENCH_BATCHES, BENCH_ROUNDS to change the sample;
//      BENCH_EXIT_ROUNDS, BENCH_RECOVERY_ROUNDS, BENCH_RECOVERY_PARALLEL, BENCH_OUTAGE_MILLIS for 3 and 4;
//      --only=healthy,outage,exit,recovery,scale to run some sections)
//  5. Scaling with size (1k / 10k / 100k points) against a fast, a 2.5 s-slow and a dead
//     collector, real processes, ours against upstream: see bench/delivery-scale.js.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const { createOtlpExporter } = require(path.join(dist, 'exporters/otlp/otlp-exporter.js'));
const { readOtlpConfig } = require(path.join(dist, 'exporters/otlp/otlp-config.js'));
const { withQueue } = require(path.join(dist, 'exporters/delivery/with-queue.js'));
const { withRetry } = require(path.join(dist, 'exporters/delivery/with-retry.js'));
const { DeliveryStats } = require(path.join(dist, 'exporters/delivery/delivery-stats.js'));
const { EnvReader } = require(path.join(dist, 'core/env-reader.js'));
const { exitLatency, recovery } = require('./delivery-exit.js');
const { scale } = require('./delivery-scale.js');
const { median, spread, printLoad, runJson, rotation } = require('./lib/stats');
const upstream = require(require.resolve('@opentelemetry/exporter-metrics-otlp-proto', { paths: [__dirname] }));

const BATCHES = Number(process.env.BENCH_BATCHES ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const WARMUP = Number(process.env.BENCH_WARMUP_BATCHES ?? 50);
// The same batch builder the tests use: one delta-sum metric with one point per stream.
const { deltaBatch } = require(path.join(dist, 'test/helpers/batches.js'));
const batch = (streams) => deltaBatch(streams, 1, 'bench.requests');

const exportOnce = (e, b) => new Promise((resolve, reject) => e.export(b, (r) => (r.code === 0 ? resolve() : reject(r.error ?? new Error('export failed')))));

// Resolves when the wrapped exporter reports a batch delivered: the queue's export returns
// before delivery, so the chain is timed until its innermost exporter is done.
function tapped(exporter) {
  let waiting;
  const tap = {
    export: (b, done) => exporter.export(b, (r) => { done(r); waiting?.(); }),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    delivered: () => new Promise((resolve) => { waiting = resolve; }),
  };
  return tap;
}

async function timeIt(name, exporter, tap) {
  const batches = Array.from({ length: WARMUP + BATCHES }, () => batch(1000));
  const send = async (b) => {
    if (!tap) return exportOnce(exporter, b);
    const delivered = tap.delivered();
    await exportOnce(exporter, b);
    await delivered;
  };
  // Warm-up: in a fresh process the JIT is still compiling both sides' code for the first batches.
  for (const b of batches.slice(0, WARMUP)) await send(b);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const b of batches.slice(WARMUP)) await send(b);
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6 / BATCHES;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / BATCHES;
  await exporter.shutdown();
  return { name, wallMs, cpuMs };
}

// The sink runs in its own process so the CPU figures are the exporters' alone.
async function startSink() {
  const code = "const s=require('http').createServer((q,r)=>{q.resume();q.on('end',()=>r.writeHead(200,{'content-type':'application/x-protobuf'}).end())});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))";
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  return { port, stop: () => child.kill() };
}

// Each variant is built in a process of its own (no shared heap, JIT or loaded modules); the
// sink is another.
const HEALTHY = [
  ['upstream exporter-metrics-otlp-proto', (url) => [new upstream.OTLPMetricExporter({ url })]],
  ['ours: OTLP exporter, bare', (url) => [createOtlpExporter(otlpConfig(url))]],
  ['ours: queue(retry(OTLP)), preload chain', (url) => {
    const stats = new DeliveryStats('otlp');
    const tap = tapped(createOtlpExporter(otlpConfig(url), stats));
    return [withQueue(withRetry(tap, { listener: stats }), { listener: stats }), tap];
  }],
];
const otlpConfig = (url) => readOtlpConfig(new EnvReader({}), { protocol: 'http/protobuf', endpoint: url });

async function healthyChild(v, url) {
  // Our sockets are unref'd: without something of the app's own alive, the loop would empty
  // during the first export and the process end before printing.
  setInterval(() => {}, 1 << 30);
  const [name, make] = HEALTHY[v];
  const r = await timeIt(name, ...make(url));
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}

async function healthy() {
  const sink = await startSink();
  const url = `http://127.0.0.1:${sink.port}/v1/metrics`;
  // Interleaved rounds, rotating the order, so machine drift hits every variant alike.
  const runs = HEALTHY.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of rotation(HEALTHY.map((_, i) => i), round)) runs[v].push(await runJson(__filename, ['--healthy-child', String(v), url]));
  }
  const results = runs.map((rs) => ({ name: rs[0].name, wallMs: median(rs.map((r) => r.wallMs)), cpuMs: median(rs.map((r) => r.cpuMs)), wall: rs.map((r) => r.wallMs), cpu: rs.map((r) => r.cpuMs) }));
  sink.stop();
  console.log(`\n1. healthy path: ${BATCHES} batches x 1,000 points (new points every batch), http/protobuf to a loopback sink process; each variant in its own process, ${ROUNDS} interleaved rounds, median (min–max); node ${process.version}`);
  printLoad('   load average');
  console.log('\nvariant                                     wall ms/batch          cpu ms/batch');
  for (const r of results) console.log(`${r.name.padEnd(44)}${spread(r.wall, 3).padStart(21)}${spread(r.cpu, 3).padStart(22)}`);
  const [up, bare, chain] = results;
  console.log(`\n  chain / bare ours:      ${(chain.wallMs / bare.wallMs).toFixed(3)} wall, ${(chain.cpuMs / bare.cpuMs).toFixed(3)} cpu   (aim <= 1.05)`);
  console.log(`  chain / upstream:       ${(chain.wallMs / up.wallMs).toFixed(3)} wall, ${(chain.cpuMs / up.cpuMs).toFixed(3)} cpu`);
  return bare;
}

// The decorators' own cost, without network noise: the same chain around an exporter that
// succeeds at once, against that exporter bare.
async function decoratorCost(bare) {
  const N = 2000;
  const noop = { export: (_b, done) => done({ code: 0 }), forceFlush: async () => {}, shutdown: async () => {} };
  const batches = Array.from({ length: 50 }, () => batch(1000));
  const cpuPer = async (exporter, tap) => {
    // Warm-up long enough for the JIT to finish with the chain (the healthy runs are in other processes).
    // A shallow copy is a new batch to every layer (the size estimate is kept per batch object),
    // so each export pays what a new collection's batch pays, on the same 50 sets of points.
    for (let i = 0; i < 2000; i++) await sendVia(exporter, tap, { ...batches[i % 50] });
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) await sendVia(exporter, tap, { ...batches[i % 50] });
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / N; // microseconds
  };
  const plain = await cpuPer(noop);
  const stats = new DeliveryStats('noop');
  const tap = tapped(noop);
  const chained = await cpuPer(withQueue(withRetry(tap, { listener: stats }), { listener: stats }), tap);
  const cost = chained - plain;
  console.log(`\n  decorators alone: ${cost.toFixed(1)} us cpu per 1,000-point batch (no-op exporter ${plain.toFixed(1)} us, chained ${chained.toFixed(1)} us)`);
  console.log(`  = ${(100 * cost / 1000 / bare.cpuMs).toFixed(1)}% of one bare OTLP export (${bare.cpuMs.toFixed(3)} ms cpu): ratio ${(1 + cost / 1000 / bare.cpuMs).toFixed(3)}   (aim <= 1.05)`);
}

async function sendVia(exporter, tap, b) {
  if (!tap) return exportOnce(exporter, b);
  const delivered = tap.delivered();
  await exportOnce(exporter, b);
  await delivered;
}

async function outage() {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  const STREAMS = 10_000;
  const COLLECTIONS = 60;
  const down = { export: (_b, done) => setTimeout(() => done({ code: 1, error: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }), 5), forceFlush: async () => {}, shutdown: async () => {} };
  const measure = async (fill) => {
    global.gc(); await new Promise((r) => setTimeout(r, 50)); global.gc();
    const before = process.memoryUsage().heapUsed;
    const keep = await fill();
    global.gc(); await new Promise((r) => setTimeout(r, 50)); global.gc();
    const bytes = process.memoryUsage().heapUsed - before;
    return { bytes, keep };
  };
  const stats = new DeliveryStats('otlp');
  const queue = withQueue(withRetry(down, { initialIntervalMillis: 1, maxIntervalMillis: 5, maxElapsedTimeMillis: 3_600_000 }), { listener: stats, maxBytes: 1 << 30, maxBatches: 1000, drainTimeoutMillis: 100 });
  const ours = await measure(async () => {
    for (let i = 0; i < COLLECTIONS; i++) await exportOnce(queue, batch(STREAMS));
    return queue;
  });
  const list = await measure(async () => {
    const kept = [];
    for (let i = 0; i < COLLECTIONS; i++) kept.push(batch(STREAMS));
    return kept;
  });
  console.log(`\n2. outage: ${COLLECTIONS} collections of ${STREAMS.toLocaleString()} delta streams, destination down\n`);
  console.log(`  ours (coalescing queue):       ${(ours.bytes / STREAMS).toFixed(0)} bytes per stream, ${(ours.bytes / 1048576).toFixed(1)} MiB, ${stats.queueSize} batches held, ${stats.droppedPoints} points dropped`);
  console.log(`  every batch kept (list queue): ${(list.bytes / STREAMS).toFixed(0)} bytes per stream, ${(list.bytes / 1048576).toFixed(1)} MiB, ${list.keep.length} batches held`);
  console.log(`  ratio ours / list:             ${(ours.bytes / list.bytes).toFixed(3)}`);
  await queue.shutdown().catch(() => {}); // reports the 20,000 points it could not deliver
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (section) => !only || only.includes(section);

if (process.argv[2] === '--healthy-child') void healthyChild(Number(process.argv[3]), process.argv[4]);
else (async () => {
  if (wanted('healthy')) await decoratorCost(await healthy());
  if (wanted('outage')) await outage();
  if (wanted('exit')) await exitLatency();
  if (wanted('recovery')) await recovery();
  if (wanted('scale')) await scale();
})().catch((err) => { console.error(err); process.exit(1); });
