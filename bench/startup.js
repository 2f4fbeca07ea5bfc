// bench/startup: wall time and peak RSS that a metrics preload adds to a trivial app
// (`node -e 0`), ours against two alternatives measured in the same run:
//   - @opentelemetry/auto-instrumentations-node/register with traces and logs off;
//   - a minimal hand-written setup (bench/minimal-setup.js).
// Every variant sends OTLP http/protobuf to the same local sink and serves Prometheus. Ours is the
// shipped preload, the bundle the `./register` export points at (dist/preload/register.js).
// Run: npm run bench   (BENCH_RUNS=30 for more samples)
'use strict';
const { spawn } = require('node:child_process');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PROBE = path.join(__dirname, 'rss-probe.js');

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

// The second app records one point through the global provider without loading its own copy
// of @opentelemetry/api (every variant would resolve a different one), so each setup must load
// its exporter and send at exit.
const APPS = {
  'node -e 0': '0',
  'records 1 point': "globalThis[Symbol.for('opentelemetry.js.api.1')]?.metrics?.getMeter('bench').createCounter('bench.points').add(1)",
};

function run(args, env, app) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', PROBE, ...args, '-e', app], { cwd: __dirname, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const rss = /BENCH_MAX_RSS_KB (\d+)/.exec(err);
      if (code !== 0 || !rss) return reject(new Error(`${args.join(' ')} exited ${code}: ${err}`));
      resolve({ ms, rssKb: Number(rss[1]), stderr: err.replace(/\n?BENCH_MAX_RSS_KB \d+\n/, '') });
    });
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

async function main() {
  const sink = http.createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end()); });
  await new Promise((r) => sink.listen(0, '127.0.0.1', r));
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && k !== 'NODE_OPTIONS'));
  const otlp = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sink.address().port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
  };
  const variants = [
    { name: 'no preload (baseline)', args: [], env: {} },
    { name: 'ours: otlp (default)', args: ['--require', path.join(ROOT, 'dist/preload/register.js')], env: otlp },
    { name: 'ours: otlp,prometheus', args: ['--require', path.join(ROOT, 'dist/preload/register.js')], env: { ...otlp, OTEL_METRICS_EXPORTER: 'otlp,prometheus' } },
    { name: 'auto-instrumentations-node', args: ['--require', '@opentelemetry/auto-instrumentations-node/register'], env: { ...otlp, OTEL_METRICS_EXPORTER: 'otlp,prometheus', OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' } },
    { name: 'minimal hand-written', args: ['--require', './minimal-setup.js'], env: otlp },
  ];
  for (const [appName, app] of Object.entries(APPS)) await report(appName, app, variants, base);
  sink.close();
}

async function report(appName, app, variants, base) {
  const samples = variants.map(() => ({ ms: [], rssKb: [] }));
  // Round-robin so drift in machine load hits every variant alike; run 0 warms the disk cache.
  for (let i = 0; i <= RUNS; i++) {
    for (const [v, variant] of variants.entries()) {
      const port = String(await freePort());
      const r = await run(variant.args, { ...base, ...variant.env, OTEL_EXPORTER_PROMETHEUS_PORT: port }, app);
      if (i === 0 && r.stderr.trim()) console.log(`note: ${variant.name} printed: ${r.stderr.trim().split('\n')[0]}`);
      if (i > 0) { samples[v].ms.push(r.ms); samples[v].rssKb.push(r.rssKb); }
    }
  }

  const med = samples.map((s) => ({ ms: median(s.ms), mb: median(s.rssKb) / 1024 }));
  const added = med.map((m) => ({ ms: m.ms - med[0].ms, mb: m.mb - med[0].mb }));
  console.log(`\nbench/startup, app: ${appName}; median of ${RUNS} runs each, node ${process.version}\n`);
  console.log('variant                          wall ms   added ms   peak RSS MiB   added MiB');
  variants.forEach((v, i) => {
    console.log(`${v.name.padEnd(32)} ${med[i].ms.toFixed(1).padStart(7)}  ${(i ? added[i].ms.toFixed(1) : '-').padStart(9)}  ${med[i].mb.toFixed(1).padStart(13)}  ${(i ? added[i].mb.toFixed(1) : '-').padStart(10)}`);
  });
  const ours = added[1];
  const oursBoth = added[2];
  const auto = added[3];
  const minimal = added[4];
  console.log('\nratios (added time, added memory; lower is better for us):');
  console.log(`  ours(otlp)            / auto-instrumentations: ${(ours.ms / auto.ms).toFixed(3)} time, ${(ours.mb / auto.mb).toFixed(3)} memory   (target time <= 0.200)`);
  console.log(`  ours(otlp,prometheus) / auto-instrumentations: ${(oursBoth.ms / auto.ms).toFixed(3)} time, ${(oursBoth.mb / auto.mb).toFixed(3)} memory`);
  console.log(`  ours(otlp,prometheus) / minimal hand-written:  ${(oursBoth.ms / minimal.ms).toFixed(3)} time, ${(oursBoth.mb / minimal.mb).toFixed(3)} memory   (target time < 1)`);
  console.log(`  ours added memory: ${ours.mb.toFixed(1)} MiB (otlp), ${oursBoth.mb.toFixed(1)} MiB (otlp,prometheus)   (target <= 20 MiB)`);
}

main().catch((err) => { console.error(err); process.exit(1); });
