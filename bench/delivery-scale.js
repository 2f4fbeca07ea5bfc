// bench/delivery section 5: how cost grows with size. An app with 1k / 10k / 100k points
// (100 / 1,000 / 10,000 instruments × 10 series) exporting every 2 s and living 3 s, against a
// fast collector, one that answers after 2.5 s, and a dead one (a refusing port); ours under
// the preload beside upstream exporter-metrics-otlp-http + PeriodicExportingMetricReader, each
// in its own process, rounds interleaved. Per cell: process CPU ms and wall ms (median, min–max)
// and the points the collector received (distinct streams; the app has exactly `points`).
// Run: npm run bench:delivery -- --only=scale   (BENCH_SCALE_ROUNDS, default 3)
'use strict';
const { spawn } = require('node:child_process');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const { decodeJson, decodeProtobuf, points } = require(path.join(root, 'dist/test/helpers/otlp-decode.js'));
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 3);
const SIZES = [100, 1000, 10_000];
const KINDS = ['fast', 'slow', 'dead'];
const VARIANTS = ['ours', 'upstream'];
const LIMIT_MILLIS = 90_000;

/** A collector on 127.0.0.1 that decodes each request and counts the distinct streams it saw. */
async function collector(delayMs) {
  // Decoded after the run: the collector answers at once, and its decoding is not the app's cost.
  const bodies = [];
  const received = () => {
    const streams = new Set();
    for (const { json, body } of bodies) {
      try {
        for (const p of points(json ? decodeJson(body.toString('utf8')) : decodeProtobuf(body))) streams.add(`${p.metric} ${JSON.stringify(p.attributes)}`);
      } catch { /* counted as nothing */ }
    }
    return [...streams].filter((k) => k.startsWith('bench.scale.')).length;
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      // Answered first: the app's cost is measured, not the decoder's.
      const answer = () => res.writeHead(200, { 'content-type': String(req.headers['content-type'] ?? 'application/x-protobuf') }).end(/json/.test(String(req.headers['content-type'])) ? '{}' : undefined);
      if (delayMs) setTimeout(answer, delayMs); else answer();
      bodies.push({ json: /json/.test(String(req.headers['content-type'])), body: Buffer.concat(chunks) });
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, received, close: () => { server.closeAllConnections(); server.close(); } };
}

async function deadUrl() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return { url: `http://127.0.0.1:${port}`, received: () => 0, close: () => {} };
}

function runApp(variant, instruments, url) {
  const args = variant === 'ours' ? ['--require', './dist/preload/register.js', 'bench/scale-app.js', 'ours'] : ['bench/scale-app.js', 'upstream'];
  const env = { ...process.env, INSTRUMENTS: String(instruments), OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_METRIC_EXPORT_INTERVAL: '2000', OTEL_METRICS_INSTRUMENTATIONS: 'none', NODE_PATH: path.join(__dirname, 'node_modules') };
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.resume();
    const kill = setTimeout(() => child.kill('SIGKILL'), LIMIT_MILLIS);
    child.on('exit', () => {
      clearTimeout(kill);
      resolve({ wall: Date.now() - t0, cpu: Number(/cpu ([\d.]+)/.exec(out)?.[1] ?? NaN) });
    });
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmt = (xs) => `${Math.round(median(xs))} (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;

async function scale() {
  console.log(`\n5. Scaling: CPU ms and wall ms (median, min–max of ${ROUNDS}) and points received; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const cells = new Map();
  for (let round = 0; round < ROUNDS; round++) {
    for (const instruments of SIZES) for (const kind of KINDS) for (const variant of (round % 2 ? [...VARIANTS].reverse() : VARIANTS)) {
      const sink = kind === 'dead' ? await deadUrl() : await collector(kind === 'slow' ? 2500 : 0);
      const r = await runApp(variant, instruments, sink.url);
      sink.close();
      const key = `${instruments}|${kind}|${variant}`;
      const cell = cells.get(key) ?? { cpu: [], wall: [], points: [] };
      cell.cpu.push(r.cpu); cell.wall.push(r.wall); cell.points.push(sink.received());
      cells.set(key, cell);
    }
  }
  console.log('| points | collector | ours CPU ms | upstream CPU ms | CPU ratio | ours wall ms | upstream wall ms | ours points | upstream points |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const instruments of SIZES) for (const kind of KINDS) {
    const o = cells.get(`${instruments}|${kind}|ours`);
    const u = cells.get(`${instruments}|${kind}|upstream`);
    console.log(`| ${instruments * 10} | ${kind} | ${fmt(o.cpu)} | ${fmt(u.cpu)} | ${(median(o.cpu) / median(u.cpu)).toFixed(2)} | ${fmt(o.wall)} | ${fmt(u.wall)} | ${median(o.points)} | ${median(u.points)} |`);
  }
}

module.exports = { scale };
if (require.main === module) scale().catch((err) => { console.error(err); process.exit(1); });
