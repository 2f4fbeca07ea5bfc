// bench/http-handlers: CPU our HTTP server handlers add per request, without the HTTP stack's
// noise: a request/response pair (plain objects, an EventEmitter response) goes through the
// handlers the http producer subscribes to node:http's diagnostics channels (start, finish,
// close), recorded into a real SDK MeterProvider. The loop without handlers is the baseline.
// Each variant in its own process, interleaved rounds; BENCH_BEFORE=<another build's dist> adds
// that build's handlers; 'ours, direct' gives our handlers the pipeline's direct sources (the
// duration histogram without SDK records), as startMetrics does. A complement to bench/http-overhead.js, whose end-to-end figure moves
// with the machine's load far more than the few µs measured here.
// Run: npm run build && npm ci --prefix bench && node bench/http-handlers.js
'use strict';
const { EventEmitter } = require('node:events');
const path = require('node:path');
const { median, spread, printLoad, runJson, rotation } = require('./lib/stats');

const ROUNDS = Number(process.env.BENCH_HTTP_HANDLER_ROUNDS ?? 7);
const N = Number(process.env.BENCH_HTTP_HANDLER_REQUESTS ?? 200_000);
const builds = { ours: path.join(__dirname, '..', 'dist') };
builds['ours, direct'] = builds.ours;
if (process.env.BENCH_BEFORE) builds['BENCH_BEFORE build'] = process.env.BENCH_BEFORE;

class Response extends EventEmitter {
  constructor() { super(); this.statusCode = 200; }
  getHeader(name) { return name === 'content-length' ? 2 : undefined; }
}

function child(variant) {
  let onStart = () => {};
  let onFinish = () => {};
  if (variant !== 'no handlers') {
    const dist = builds[variant];
    const { MeterProvider, MetricReader } = require(require.resolve('@opentelemetry/sdk-metrics', { paths: [dist] }));
    class Reader extends MetricReader { async onForceFlush() {} async onShutdown() {} }
    let reader;
    let sources;
    if (variant === 'ours, direct') {
      const { DirectMetrics } = require(path.join(dist, 'src/pipeline/direct-metrics.js'));
      const direct = new DirectMetrics();
      reader = new Reader({ metricProducers: [direct.producerFor(() => reader)] });
      sources = direct.sourcesFor({ name: 'bench', version: '' }, [], [reader]);
    } else reader = new Reader();
    const provider = new MeterProvider({ readers: [reader] });
    // instrumentation/http/ since the folder split; a build from before it has the files one level up.
    const at = (file) => [path.join(dist, 'instrumentation/http', file), path.join(dist, 'instrumentation', file)].find((p) => require('node:fs').existsSync(p));
    const { httpServerMetrics } = require(at('http-server-metrics.js'));
    const { routeOf } = require(at('http-route.js'));
    // Each build's own default for body sizes (the argument left out).
    ({ onStart, onFinish } = httpServerMetrics(provider.getMeter('bench'), routeOf, undefined, sources));
  }
  // One keep-alive connection carries every request, as with the load in bench/http-overhead.js.
  const socket = new EventEmitter();
  const one = () => {
    const request = { method: 'GET', httpVersion: '1.1', headers: { host: 'x' }, rawHeaders: ['Host', 'x', 'Connection', 'keep-alive'], socket };
    const response = new Response();
    const message = { request, response, socket, server: {} };
    onStart(message);
    onFinish(message);
    response.emit('close');
  };
  for (let i = 0; i < N / 4; i++) one();
  const c = process.cpuUsage();
  for (let i = 0; i < N; i++) one();
  const d = process.cpuUsage(c);
  process.stdout.write(`${JSON.stringify({ ns: ((d.user + d.system) * 1000) / N })}\n`);
  process.exit(0);
}

async function main() {
  const names = ['no handlers', ...Object.keys(builds)];
  console.log('## HTTP server handlers (bench/http-handlers.js)\n');
  console.log(`${N} simulated requests per process through the server handlers into a real SDK; each variant in its own process, ${ROUNDS} interleaved rounds; node ${process.version}`);
  printLoad('load average before');
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < ROUNDS; i++) for (const n of rotation(names, i)) runs[n].push((await runJson(__filename, ['--child', n])).ns);
  printLoad('load average after');
  console.log('\n| variant | CPU ns per request median (min–max) | added over no handlers, µs |');
  console.log('|---|---|---|');
  const base = median(runs['no handlers']);
  for (const n of names) console.log(`| ${n} | ${spread(runs[n], 0)} | ${n === 'no handlers' ? '–' : ((median(runs[n]) - base) / 1000).toFixed(2)} |`);
}

if (process.argv[2] === '--child') child(process.argv[3]);
else main().catch((err) => { console.error(err); process.exit(1); });
