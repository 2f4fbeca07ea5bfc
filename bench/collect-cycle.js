// bench/collect-cycle: what our producers cost, against the upstream packages, in the same run.
//  1. Collection: CPU per full collection (this process + the child processes it waited for,
//     from /proc/self/stat utime, stime, cutime, cstime), child processes started per collection,
//     and idle CPU per second with no collections at all (timers and samplers only):
//       - ours: system + process + runtime producers;
//       - upstream: @opentelemetry/host-metrics + @opentelemetry/instrumentation-runtime-node.
//     Each variant runs in its own child process; a bare child gives the idle baseline.
// The HTTP server's per-request cost is bench/http-overhead.js.
// Run: npm run build && npm ci --prefix bench && node bench/collect-cycle.js
//      (BENCH_COLLECTIONS, BENCH_IDLE_MS change the sample)
'use strict';
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const path = require('node:path');

const COLLECTIONS = Number(process.env.BENCH_COLLECTIONS ?? 100);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 10_000);
const dist = path.join(__dirname, '..', 'dist');

/** CPU ms of this process, and of its waited-for children, from /proc/self/stat (ticks of 10 ms). */
function cpuMs() {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = 10;
  return { own: (Number(f[11]) + Number(f[12])) * tick, children: (Number(f[13]) + Number(f[14])) * tick };
}
// Ticks are coarse; for our own process, process.cpuUsage() (µs) is exact. Children only have ticks.
const ownUs = () => { const c = process.cpuUsage(); return c.user + c.system; };

function countChildProcesses() {
  const cp = require('node:child_process');
  const counter = { n: 0 };
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
    const original = cp[name];
    cp[name] = function (...args) { counter.n++; return original.apply(this, args); };
  }
  return counter;
}

async function child(variant) {
  const spawned = countChildProcesses(); // before any variant loads, so every spawn is seen
  const sdkPath = variant === 'upstream' ? require.resolve('@opentelemetry/sdk-metrics', { paths: [__dirname] }) : require.resolve('@opentelemetry/sdk-metrics', { paths: [dist] });
  const { MeterProvider, MetricReader } = require(sdkPath);
  class Reader extends MetricReader { async onForceFlush() {} async onShutdown() {} }
  const reader = new Reader();
  const provider = new MeterProvider({ readers: [reader] });
  let stop = () => {};
  if (variant === 'ours') {
    const { createProducers } = require(path.join(dist, 'instrumentation/registry.js'));
    const producers = createProducers(['system', 'process', 'runtime']);
    const meter = provider.getMeter('bench');
    for (const p of producers) p.start(meter);
    stop = () => producers.forEach((p) => p.stop());
  } else if (variant === 'upstream') {
    const { HostMetrics } = require(require.resolve('@opentelemetry/host-metrics', { paths: [__dirname] }));
    const { RuntimeNodeInstrumentation } = require(require.resolve('@opentelemetry/instrumentation-runtime-node', { paths: [__dirname] }));
    new HostMetrics({ meterProvider: provider, name: 'bench' }).start();
    const runtime = new RuntimeNodeInstrumentation();
    runtime.setMeterProvider(provider);
    runtime.enable();
    stop = () => runtime.disable();
  }
  const result = { variant };
  if (process.argv[4] === 'idle') {
    await new Promise((r) => setTimeout(r, 1000)); // start-up work settles
    const c0 = cpuMs(); const u0 = ownUs();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const c1 = cpuMs();
    result.idleCpuMsPerSec = ((ownUs() - u0) / 1000 + (c1.children - c0.children)) / (IDLE_MS / 1000);
  } else {
    let points = 0;
    for (let i = 0; i < 5; i++) await reader.collect(); // warm-up: first windows, JIT
    const spawnedBefore = spawned.n;
    const c0 = cpuMs(); const u0 = ownUs(); const t0 = performance.now();
    for (let i = 0; i < COLLECTIONS; i++) {
      const { resourceMetrics } = await reader.collect();
      if (i === 0) points = resourceMetrics.scopeMetrics.reduce((s, sm) => s + sm.metrics.reduce((x, m) => x + m.dataPoints.length, 0), 0);
    }
    const c1 = cpuMs();
    result.ownMs = (ownUs() - u0) / 1000 / COLLECTIONS;
    result.childMs = (c1.children - c0.children) / COLLECTIONS;
    result.wallMs = (performance.now() - t0) / COLLECTIONS;
    result.spawnsPerCollection = (spawned.n - spawnedBefore) / COLLECTIONS;
    result.points = points;
  }
  stop();
  await provider.shutdown();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

function runChild(args) {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [__filename, '--child', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`${args} exited ${code}`))));
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const f = (n, d = 3) => n.toFixed(d);

async function main() {
  console.log(`collect-cycle: ${COLLECTIONS} collections per variant, idle ${IDLE_MS} ms, node ${process.version}`);
  const ours = await runChild(['ours', 'collect']);
  const upstream = await runChild(['upstream', 'collect']);
  console.log('\n1. CPU per full collection (system + process + runtime)');
  console.log('variant    own ms   children ms   total ms   wall ms   spawns/collection   points');
  for (const r of [ours, upstream]) {
    console.log(`${r.variant.padEnd(9)}  ${f(r.ownMs).padStart(6)}   ${f(r.childMs).padStart(11)}   ${f(r.ownMs + r.childMs).padStart(8)}   ${f(r.wallMs).padStart(7)}   ${f(r.spawnsPerCollection, 2).padStart(17)}   ${r.points}`);
  }
  console.log(`ratio upstream/ours, total CPU per collection: ${f((upstream.ownMs + upstream.childMs) / (ours.ownMs + ours.childMs), 1)}x`);

  const [bare, oursIdle, upIdle] = [await runChild(['none', 'idle']), await runChild(['ours', 'idle']), await runChild(['upstream', 'idle'])];
  console.log('\n   idle CPU ms/s (no collections)   bare process   ours   upstream');
  console.log(`   measured                         ${f(bare.idleCpuMsPerSec, 2).padStart(12)}   ${f(oursIdle.idleCpuMsPerSec, 2)}   ${f(upIdle.idleCpuMsPerSec, 2)}`);
  console.log(`   added over the bare process                     ${f(oursIdle.idleCpuMsPerSec - bare.idleCpuMsPerSec, 2)}   ${f(upIdle.idleCpuMsPerSec - bare.idleCpuMsPerSec, 2)}`);

}

if (process.argv[2] === '--child') void child(process.argv[3]);
else main().catch((err) => { console.error(err); process.exit(1); });
module.exports = { median };
