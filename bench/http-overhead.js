// bench/http-overhead: what our default producers cost a trivial node:http server, per request.
// Each variant is its own server process, pinned to core 1; the load generator is one more process
// on core 0 (keep-alive, 32 in flight), so the server's CPU is its own. Each of 7 rounds starts
// fresh servers and measures them in short slices taken in turn (see httpBench). CPU per request
// comes from process.cpuUsage() inside the server, which holds on a shared machine where
// throughput (wall time) does not.
// Variants: none (no preload) / defaults (the preload, default producers process, runtime, http)
// / process,runtime (the preload, HTTP off) / http (the preload, http only).
// Run: npm run build && node bench/http-overhead.js   (BENCH_HTTP_SLICE_MS, BENCH_HTTP_SLICES, BENCH_HTTP_ROUNDS, BENCH_HTTP_WARMUP_MS)
'use strict';
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const { median, spread, printLoad, rotation, pinned } = require('./lib/stats');

// Per round and variant: SLICES slices of SLICE_MS, 6 s in all by default.
const SLICE_MS = Number(process.env.BENCH_HTTP_SLICE_MS ?? 750);
const SLICES = Number(process.env.BENCH_HTTP_SLICES ?? 8);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 7);
const CONCURRENCY = 32;
// Warm-up per server before its measured slices: JIT and sockets, and the heap's first growth. A
// preloaded server reaches its first old-generation limit a second or two into the load and pays
// one mark-compact (about 20 ms here) once in its life; inside 6 s of slices that is over 0.5 µs
// per request that a running server never pays again.
const WARMUP_MS = Number(process.env.BENCH_HTTP_WARMUP_MS ?? 3000);
// BENCH_DIST points at another build (e.g. an older commit's dist/) to compare before and after.
const register = path.join(process.env.BENCH_DIST ?? path.join(__dirname, '..', 'dist'), 'src', 'register.js');

// OTLP to a port nobody listens on, with the default 60 s interval: no export falls inside a round.
const PRELOAD_ENV = { OTEL_LOG_LEVEL: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' };
const VARIANTS = {
  none: { nodeArgs: [], env: {} },
  defaults: { nodeArgs: ['-r', register], env: PRELOAD_ENV },
  'process,runtime': { nodeArgs: ['-r', register], env: { ...PRELOAD_ENV, OTEL_METRICS_INSTRUMENTATIONS: 'process,runtime' } },
  http: { nodeArgs: ['-r', register], env: { ...PRELOAD_ENV, OTEL_METRICS_INSTRUMENTATIONS: 'http' } },
};
// BENCH_BEFORE=<another build's dist> adds its defaults as one more variant of the same rounds.
if (process.env.BENCH_BEFORE) VARIANTS['defaults, BENCH_BEFORE build'] = { nodeArgs: ['-r', path.join(process.env.BENCH_BEFORE, 'src', 'register.js')], env: PRELOAD_ENV };

function serve() {
  const server = http.createServer((req, res) => { res.setHeader('content-length', 2); res.end('ok'); });
  // A server waits seconds between its slices; its connections stay open meanwhile.
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${server.address().port}\n`));
  process.on('message', () => { const c = process.cpuUsage(); process.send(c.user + c.system); });
  process.on('disconnect', () => process.exit(0));
}

/** The load generator: one process for the whole bench, told {port, ms} over IPC, one keep-alive agent per server. */
function generator() {
  const agents = new Map();
  process.on('message', async ({ port, ms }) => {
    let agent = agents.get(port);
    if (!agent) { agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }); agents.set(port, agent); }
    let done = 0;
    const end = Date.now() + ms;
    const one = () => new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/items/1', agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
    });
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (Date.now() < end) { await one(); done++; } }));
    process.send({ done });
  });
  process.on('disconnect', () => process.exit(0));
}

function startServer(name) {
  const v = VARIANTS[name];
  return new Promise((resolve, reject) => {
    const [cmd, args] = pinned(1, [...v.nodeArgs, __filename, '--serve']);
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, ...v.env } });
    c.on('error', reject);
    c.stdout.on('data', (d) => { const m = /PORT (\d+)/.exec(String(d)); if (m) resolve({ port: Number(m[1]), child: c }); });
  });
}
// A child that dies before it answers (a failed request in the generator) fails the bench, not hangs it.
const ask = (child, msg) => new Promise((resolve, reject) => {
  const died = (code) => reject(new Error(`bench child exited ${code} before answering ${JSON.stringify(msg)}`));
  child.once('exit', died);
  child.once('message', (m) => { child.off('exit', died); resolve(m); });
  child.send(msg);
});
const stop = (child) => new Promise((r) => { child.once('exit', r); child.disconnect(); });

/**
 * Per variant: req/s and server CPU µs/request, one value per round. A round starts a fresh
 * server for every variant (rotated order), warms each, then measures them in short slices taken
 * in turn, ABCD DCBA: the machine's speed drifts between fast and slow phases of a few seconds, and
 * a variant measured for one long stretch lands wholly in one phase while the next lands in
 * another. Slices spread each variant across the same phases; the round's value is its summed CPU
 * over its summed requests.
 */
async function httpBench({ slices = SLICES, sliceMs = SLICE_MS, rounds = ROUNDS } = {}) {
  const names = Object.keys(VARIANTS);
  const rate = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  const [cmd, args] = pinned(0, [__filename, '--generate']);
  const gen = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    for (let i = 0; i < rounds; i++) {
      const order = rotation(names, i);
      const servers = {};
      for (const name of order) servers[name] = await startServer(name);
      for (const name of order) await ask(gen, { port: servers[name].port, ms: WARMUP_MS });
      const used = Object.fromEntries(names.map((n) => [n, 0]));
      const done = Object.fromEntries(names.map((n) => [n, 0]));
      for (let s = 0; s < slices; s++) {
        for (const name of s % 2 ? [...order].reverse() : order) {
          const { port, child } = servers[name];
          const before = await ask(child, 'cpu');
          done[name] += (await ask(gen, { port, ms: sliceMs })).done;
          used[name] += (await ask(child, 'cpu')) - before;
        }
      }
      for (const n of names) {
        rate[n].push(done[n] / ((slices * sliceMs) / 1000));
        cpu[n].push(used[n] / done[n]);
      }
      await Promise.all(order.map((n) => stop(servers[n].child)));
    }
  } finally {
    if (gen.connected) gen.disconnect();
  }
  return { names, rate, cpu };
}

async function main() {
  console.log(`## HTTP server overhead (bench/http-overhead.js)\n`);
  console.log(`node:http server answering 'ok', keep-alive load from a separate process, ${CONCURRENCY} in flight; ${ROUNDS} interleaved rounds, each of fresh servers warmed with ${WARMUP_MS} ms of load, then ${SLICES} slices of ${SLICE_MS} ms per variant taken in turn (ABCD DCBA); node ${process.version}`);
  printLoad('load average before');
  const { names, rate, cpu } = await httpBench();
  printLoad('load average after');
  console.log('\n| variant | req/s median (min–max) | throughput vs none | same-round throughput vs none, median (min–max) | server CPU µs/request median (min–max) | CPU µs/request over none | same-round difference over none, median (min–max) |');
  console.log('|---|---|---|---|---|---|---|');
  const r0 = median(rate.none); const c0 = median(cpu.none);
  const signed = (d) => (d < 0 ? `−${(-d).toFixed(2)}` : `+${d.toFixed(2)}`);
  for (const n of names) {
    // Round i's difference pairs two servers that ran minutes apart at most, in the same phase of
    // a machine whose speed drifts between phases; the difference of medians can pair a fast
    // phase with a slow one.
    const paired = cpu[n].map((c, i) => c - cpu.none[i]);
    const pairedCell = n === 'none' ? '–' : `${signed(median(paired))} (${signed(Math.min(...paired))} to ${signed(Math.max(...paired))})`;
    const ratios = rate[n].map((r, i) => r / rate.none[i]);
    const ratioCell = n === 'none' ? '–' : spread(ratios, 3);
    console.log(`| ${n} | ${spread(rate[n], 0)} | ${(median(rate[n]) / r0).toFixed(3)} | ${ratioCell} | ${spread(cpu[n], 2)} | ${n === 'none' ? '–' : signed(median(cpu[n]) - c0)} | ${pairedCell} |`);
  }
  console.log('\nThroughput vs none is the ratio of medians, the same-round one the median of each round\'s own ratio; on a shared machine throughput moves with other work, CPU per request much less.');
}

if (process.argv[2] === '--serve') serve();
else if (process.argv[2] === '--generate') generator();
else if (require.main === module) main().catch((err) => { console.error(err); process.exit(1); });
module.exports = { httpBench };
