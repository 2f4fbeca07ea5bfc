// bench/dashboard: what `otel-metrics-pipeline dashboard` costs under load, against a named
// alternative in the same run.
//   Load: BENCH_SENDERS (50) senders, each its own resource (service.name, service.instance.id)
//   with BENCH_SERIES (2,000) series: 50 % counter, 40 % gauge, 10 % histogram series, every
//   BENCH_INTERVAL_MS (1,000) as OTLP/HTTP protobuf, encoded by the SDK's own serializer
//   (@opentelemetry/otlp-transformer) from a real MeterProvider (BENCH_ROUNDS (5) rounds encoded
//   up front and replayed in turn, so the driver keeps pace), one keep-alive connection each.
//   Measured on the receiving process only (from /proc/<pid>/stat and /proc/<pid>/status), after
//   BENCH_WARMUP_S (10) s, for BENCH_SECONDS (30) s: CPU share of one core, RSS, requests taken.
//   - dashboard: the real command (`node dist/src/cli.js dashboard`), no page open;
//   - decode-only: the same OTLP/HTTP receiver and protobufjs decoder with nothing stored, the
//     floor any protobufjs-based OTLP receiver pays; the ratio is what the store adds.
// Target: the dashboard under 25 % of one core. Run: npm run build && node bench/dashboard.js
'use strict';
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const SENDERS = Number(process.env.BENCH_SENDERS ?? 50);
const SERIES = Number(process.env.BENCH_SERIES ?? 2000);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 1000);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TICK_MS = 10; // /proc/<pid>/stat counts CPU in clock ticks of 10 ms (USER_HZ 100)

const { MeterProvider, MetricReader } = require(require.resolve('@opentelemetry/sdk-metrics', { paths: [dist] }));
const { resourceFromAttributes } = require(require.resolve('@opentelemetry/resources', { paths: [dist] }));
const { ProtobufMetricsSerializer } = require(require.resolve('@opentelemetry/otlp-transformer', { paths: [dist] }));

class Reader extends MetricReader { async onForceFlush() {} async onShutdown() {} }

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}
function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** One sender: a MeterProvider of its own and its series; `payload()` records a round and encodes it. */
function makeSender(i) {
  const reader = new Reader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': `bench-sender-${i % 5}`, 'service.instance.id': `instance-${i}`, 'telemetry.sdk.language': 'nodejs' }),
    readers: [reader],
  });
  const meter = provider.getMeter('bench');
  const counters = Math.round(SERIES * 0.5);
  const gauges = Math.round(SERIES * 0.4);
  const histograms = SERIES - counters - gauges;
  const requests = meter.createCounter('bench.requests', { unit: '{request}', description: 'Requests served' });
  const depth = meter.createGauge('bench.queue.depth', { unit: '{item}', description: 'Items waiting' });
  const latency = meter.createHistogram('bench.latency', { unit: 'ms', description: 'Time per request' });
  const attrs = (n, k) => Array.from({ length: n }, (_, j) => ({ route: `/r${j % 50}`, shard: `${k}${j}` }));
  const a = attrs(counters, 'c');
  const g = attrs(gauges, 'g');
  const h = attrs(histograms, 'h');
  // Encoding 100,000 points a second would take the driver most of a core on a shared 2-core
  // machine and it would fall behind; so ROUNDS rounds per sender are recorded and encoded up
  // front and replayed in turn (the dashboard's work per point is the same).
  const rounds = [];
  return {
    async prepare() {
      for (let round = 1; round <= ROUNDS; round++) {
        for (let j = 0; j < a.length; j++) requests.add(1 + (j % 3), a[j]);
        for (let j = 0; j < g.length; j++) depth.record((j + round) % 17, g[j]);
        for (let j = 0; j < h.length; j++) latency.record(5 + ((j * 7 + round) % 400), h[j]);
        const { resourceMetrics } = await reader.collect();
        rounds.push(Buffer.from(ProtobufMetricsSerializer.serializeRequest(resourceMetrics)));
      }
    },
    payload: (n) => rounds[n % rounds.length],
  };
}

function post(agent, port, body) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/metrics', method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

function startTarget(name, httpPort) {
  const args = name === 'dashboard'
    ? [path.join(dist, 'src/cli.js'), 'dashboard', '--allow-anonymous', '--port', String(httpPort + 1), '--otlp-http-port', String(httpPort), '--otlp-grpc-port', String(httpPort + 2)]
    : ['-e', `const { OtlpDecoder } = require(${JSON.stringify(path.join(dist, 'src/dashboard/otlp-decoder.js'))});
const { createOtlpHttpReceiver } = require(${JSON.stringify(path.join(dist, 'src/dashboard/otlp-http-receiver.js'))});
let points = 0;
createOtlpHttpReceiver(new OtlpDecoder(), (r) => { points += r.resourceMetrics.length; }).listen(${httpPort}, '127.0.0.1', () => console.log('Login: ready'));`];
  // BENCH_NODE_ARGS (e.g. --cpu-prof) goes to the measured process.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (/Login:/.test(out)) resolve(child); });
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}: ${out}`)));
  });
}

async function run(name, senders) {
  const port = await freePort();
  const child = await startTarget(name, port);
  const agents = senders.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  let ok = 0;
  let failed = 0;
  let late = 0;
  let stop = false;
  const driverStart = process.cpuUsage();
  // Each sender ticks on its own, phases spread over the interval as real apps would be.
  const loops = senders.map(async (sender, i) => {
    await new Promise((r) => setTimeout(r, (i * INTERVAL_MS) / senders.length));
    let next = Date.now();
    for (let n = 0; !stop; n++) {
      const body = sender.payload(n);
      if (await post(agents[i], port, body)) ok++; else failed++;
      next += INTERVAL_MS;
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else { late++; next = Date.now(); }
    }
  });
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const okAtStart = ok;
  const cpuAtStart = cpuMs(child.pid);
  const rssAtStart = rssMiB(child.pid);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const elapsed = Date.now() - t0;
  const cpu = cpuMs(child.pid) - cpuAtStart;
  const rss = rssMiB(child.pid);
  const requests = ok - okAtStart;
  stop = true;
  await Promise.all(loops);
  const driver = process.cpuUsage(driverStart);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  agents.forEach((a) => a.destroy());
  return { name, cpuShare: cpu / elapsed, rssAtStart, rss, requestsPerS: (requests * 1000) / elapsed, pointsPerS: (requests * SERIES * 1000) / elapsed, failed, late, driverShare: (driver.user + driver.system) / 1000 / (elapsed + WARMUP_S * 1000) };
}

(async () => {
  const senders = Array.from({ length: SENDERS }, (_, i) => makeSender(i));
  for (const s of senders) await s.prepare();
  console.log(`dashboard bench: ${SENDERS} senders × ${SERIES} series every ${INTERVAL_MS} ms (${(SENDERS * SERIES * 1000) / INTERVAL_MS} points/s offered), ${WARMUP_S} s warm-up, ${SECONDS} s measured`);
  const results = [];
  for (const name of (process.env.BENCH_ONLY ?? 'dashboard,decode-only').split(',')) {
    const r = await run(name, senders);
    results.push(r);
    console.log(`  ${name.padEnd(12)} CPU ${(r.cpuShare * 100).toFixed(1).padStart(5)} % of one core   RSS ${r.rssAtStart.toFixed(0)} -> ${r.rss.toFixed(0)} MiB   ${r.requestsPerS.toFixed(1)} requests/s (${Math.round(r.pointsPerS)} points/s)   failed ${r.failed}, late ticks ${r.late}   (sender driver ${(r.driverShare * 100).toFixed(0)} %)`);
  }
  const [dash, floor] = results;
  console.log(`  ratio dashboard / decode-only CPU: ${(dash.cpuShare / floor.cpuShare).toFixed(2)}x;  dashboard per 1,000 points/s: ${((dash.cpuShare * 100 * 1000) / dash.pointsPerS).toFixed(2)} % of a core`);
  console.log(`  target: dashboard < 25 % of one core -> ${dash.cpuShare < 0.25 ? 'met' : 'NOT met'}`);
  process.exit(0);
})().catch((err) => { console.error(err); process.exit(1); });
