// bench/delivery sections 3 and 4: what a dead or returning collector costs a real process,
// ours (the preload, default config) against upstream (exporter-metrics-otlp-http in a
// PeriodicExportingMetricReader, `await meterProvider.shutdown()` at exit), in the same run.
//  3. Exit latency: bench/exit-app.js records a few points, prints the time as its last act and
//     ends; timed from that to the process's exit, with the collector refusing connections
//     (a free port), a black hole (accepts, never answers) and up (200, empty body).
//  4. Recovery: the app exports every 1000 ms; the collector goes away for BENCH_OUTAGE_MILLIS
//     and comes back on the same port; timed from its return to the first request it answers.
// Every run is killed after 60 s and reported as "> 60 s".
'use strict';
const { spawn } = require('node:child_process');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const root = path.join(__dirname, '..');
const EXIT_ROUNDS = Number(process.env.BENCH_EXIT_ROUNDS ?? 5);
const RECOVERY_ROUNDS = Number(process.env.BENCH_RECOVERY_ROUNDS ?? 3);
// Apps per variant outaged at once in one round: each waits, so more samples cost little time.
const RECOVERY_PARALLEL = Number(process.env.BENCH_RECOVERY_PARALLEL ?? 2);
const OUTAGE_MILLIS = Number(process.env.BENCH_OUTAGE_MILLIS ?? 20_000);
const LIMIT_MILLIS = 60_000;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Node flags per variant: only ours runs under the preload.
const NODE_ARGS = { ours: ['--require', './dist/preload/register.js'], upstream: [], none: [] };

function listen(server, port = 0) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(server.address().port); });
  });
}

async function freePort() {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

// A collector that answers every request with 200 and an empty body (a valid empty OTLP
// response), counting the requests it answered and when.
function okServer() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.on('finish', () => { server.answered.push(now()); });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.answered = [];
  return server;
}

// Accepts connections and never answers; holds the sockets so they are not closed either.
function blackHole() {
  const sockets = new Set();
  const server = net.createServer((s) => { sockets.add(s); s.on('error', () => {}); s.on('close', () => sockets.delete(s)); });
  server.closeAllConnections = () => { for (const s of sockets) s.destroy(); };
  return server;
}

const SCENARIOS = [
  ['collector refusing', async () => ({ port: await freePort(), stop: async () => {} })],
  ['black hole', async () => serve(blackHole())],
  ['collector up', async () => serve(okServer())],
];

async function serve(server, port) {
  const bound = await listen(server, port);
  return { port: bound, server, stop: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) };
}

function spawnApp(variant, port, extraArgs = [], extraEnv = {}) {
  const env = {
    ...process.env,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    ...extraEnv,
  };
  // No inherited NODE_OPTIONS --require or OTEL_* settings but ours.
  for (const k of Object.keys(env)) if (k.startsWith('OTEL_') && !(k in extraEnv) && k !== 'OTEL_EXPORTER_OTLP_ENDPOINT') delete env[k];
  delete env.NODE_OPTIONS;
  return spawn(process.execPath, [...NODE_ARGS[variant], path.join(__dirname, 'exit-app.js'), variant, ...extraArgs], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

// One run: ms from the app's last act to its exit, or Infinity when killed at the limit. An app
// that fails fails the bench: a crash is not an exit time.
function exitRun(variant, port) {
  return new Promise((resolve, reject) => {
    const child = spawnApp(variant, port);
    let out = '';
    let stderr = '';
    let exitedAt;
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const killer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MILLIS);
    child.on('exit', () => { exitedAt = now(); clearTimeout(killer); });
    // 'close' comes after the output is read; the exit time was taken at 'exit'.
    child.on('close', (code, signal) => {
      const end = Number(/end (\d+(?:\.\d+)?)/.exec(out)?.[1]);
      if (signal === 'SIGKILL') return resolve({ ms: Infinity, code, signal, stderr });
      if (code !== 0 || !Number.isFinite(end)) return reject(new Error(`${variant} app failed (code ${code}):\n${stderr}`));
      resolve({ ms: exitedAt - end, code, signal, stderr });
    });
  });
}

const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const fmt = (ms) => (ms === Infinity ? '> 60 s' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const ratio = (a, b) => (a === Infinity || b === Infinity ? 'n/a' : (a / b).toFixed(3));

/** Section 3: exit latency per scenario and variant; a markdown table. */
async function exitLatency() {
  console.log(`\n3. exit latency: app records 10 points and ends; time from its last act to process exit, ${EXIT_ROUNDS} runs per cell, default config, node ${process.version}\n`);
  const baseline = [];
  for (let round = 0; round < EXIT_ROUNDS; round++) baseline.push((await exitRun('none', await freePort())).ms);
  const rows = [];
  const notes = [`  baseline, the same app with no SDK: ${fmt(stat(baseline).median)} (${fmt(stat(baseline).min)}–${fmt(stat(baseline).max)})`];
  for (const [name, start] of SCENARIOS) {
    const runs = { ours: [], upstream: [] };
    const requests = { ours: [], upstream: [] };
    // Alternate the variants so drift on a shared machine hits both alike.
    for (let round = 0; round < EXIT_ROUNDS; round++) {
      for (const variant of round % 2 ? ['upstream', 'ours'] : ['ours', 'upstream']) {
        const collector = await start();
        const r = await exitRun(variant, collector.port);
        if (collector.server?.answered) requests[variant].push(collector.server.answered.length);
        await collector.stop();
        if (process.env.BENCH_VERBOSE) console.log(`  ${name} ${variant}: ${fmt(r.ms)} code=${r.code} signal=${r.signal}\n${r.stderr.replace(/^/gm, '    | ')}`);
        runs[variant].push(r.ms);
      }
    }
    const ours = stat(runs.ours);
    const up = stat(runs.upstream);
    if (requests.ours.length) notes.push(`  ${name}: requests answered per run: ours ${requests.ours.join('/')}, upstream ${requests.upstream.join('/')}`);
    rows.push(`| ${name} | ${fmt(ours.median)} (${fmt(ours.min)}–${fmt(ours.max)}) | ${fmt(up.median)} (${fmt(up.min)}–${fmt(up.max)}) | ${ratio(ours.median, up.median)} |`);
  }
  console.log('| collector | ours: median (min–max) | upstream: median (min–max) | ours / upstream |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`\n${notes.join('\n')}`);
}

// One recovery run for one variant on its own port: up until its first delivery, down for the outage, back; resolves
// with ms from the return to the first answered request (Infinity past the limit).
async function recoveryRun(variant) {
  const first = okServer();
  const port = await listen(first);
  const env = variant === 'ours' ? { OTEL_METRIC_EXPORT_INTERVAL: '1000' } : { BENCH_EXPORT_INTERVAL_MILLIS: '1000' };
  const child = spawnApp(variant, port, ['keep-running'], env);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  try {
    // Up until the app has delivered once (it is started and connected), then down.
    const upUntil = now() + 15_000;
    while (first.answered.length === 0 && now() < upUntil) await sleep(20);
    await sleep(500);
    const before = first.answered.length;
    await new Promise((r) => { first.close(r); first.closeAllConnections(); });
    await sleep(OUTAGE_MILLIS);
    const back = okServer();
    await listen(back, port);
    const returnedAt = now();
    const deadline = returnedAt + LIMIT_MILLIS;
    while (back.answered.length === 0 && now() < deadline && child.exitCode === null) await sleep(20);
    await new Promise((r) => { back.close(r); back.closeAllConnections(); });
    const ms = back.answered.length ? back.answered[0] - returnedAt : Infinity;
    return { ms, before, stderr };
  } finally {
    child.kill('SIGKILL');
  }
}

/** Section 4: recovery latency after an outage, both variants at once on their own ports. */
async function recovery() {
  console.log(`\n4. recovery: export every 1000 ms, collector refusing for ${OUTAGE_MILLIS / 1000} s then back on the same port; time from its return to the first answered request, ${RECOVERY_ROUNDS} rounds x ${RECOVERY_PARALLEL} apps per variant at once\n`);
  const runs = { ours: [], upstream: [] };
  for (let round = 0; round < RECOVERY_ROUNDS; round++) {
    const variants = Array.from({ length: RECOVERY_PARALLEL }, () => ['ours', 'upstream']).flat();
    const results = await Promise.all(variants.map((v) => recoveryRun(v)));
    for (const [i, r] of results.entries()) {
      const variant = variants[i];
      if (r.before === 0) console.log(`  warning: ${variant} delivered nothing before the outage`);
      if (process.env.BENCH_VERBOSE) console.log(`  ${variant}: ${fmt(r.ms)} (${r.before} requests before the outage)\n${r.stderr.replace(/^/gm, '    | ')}`);
      runs[variant].push(r.ms);
    }
  }
  const ours = stat(runs.ours);
  const up = stat(runs.upstream);
  console.log('| after a 20 s outage | ours: median (min–max) | upstream: median (min–max) | ours / upstream |'.replace('20', String(OUTAGE_MILLIS / 1000)));
  console.log('|---|---|---|---|');
  console.log(`| first answered request after the return | ${fmt(ours.median)} (${fmt(ours.min)}–${fmt(ours.max)}) | ${fmt(up.median)} (${fmt(up.min)}–${fmt(up.max)}) | ${ratio(ours.median, up.median)} |`);
}

module.exports = { exitLatency, recovery };
