// bench/thread-counter-add: the hot-path cost of counter.add in a worker thread under the
// preload (the light thread provider) against the main thread's (the SDK MeterProvider the
// preload installs), in the same run: N adds over 100 attribute sets, rounds in turns, median.
// Run: npm run build && node bench/thread-counter-add.js
'use strict';
const path = require('node:path');
const { Worker, isMainThread, parentPort } = require('node:worker_threads');
const { metrics } = require('@opentelemetry/api');

const N = Number(process.env.BENCH_ADDS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const attrs = Array.from({ length: 100 }, (_, i) => ({ 'http.route': `/r/${i}`, 'http.request.method': 'GET' }));

const counter = () => metrics.getMeter('bench').createCounter('bench.adds');
function round(c) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) c.add(1, attrs[i % 100]);
  return Number(process.hrtime.bigint() - t) / N;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (isMainThread) {
  if (!process.env.BENCH_CHILD) {
    // Re-run under the preload, the way an app runs.
    const { spawnSync } = require('node:child_process');
    // A reader, so the main thread's adds really aggregate (with none the SDK drops them at once).
    const r = spawnSync(process.execPath, ['--require', path.join(__dirname, '..', 'dist/preload/register.js'), __filename], {
      env: { ...process.env, BENCH_CHILD: '1', OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: '29464', OTEL_METRICS_INSTRUMENTATIONS: 'none' }, stdio: 'inherit',
    });
    process.exit(r.status ?? 1);
  }
  // Rounds in turns (main, thread, main, …), so a busy machine slows both alike.
  const worker = new Worker(__filename);
  const threadRound = () => new Promise((resolve) => { worker.once('message', resolve); worker.postMessage('round'); });
  (async () => {
    const c = counter();
    const main = [];
    const thread = [];
    round(c);
    await threadRound();
    for (let r = 0; r < ROUNDS; r++) {
      main.push(round(c));
      thread.push(await threadRound());
    }
    worker.terminate();
    const m = median(main);
    const t = median(thread);
    console.log(`counter.add, ${N} adds over 100 attribute sets, median of ${ROUNDS} alternating rounds:`);
    console.log(`  main thread (SDK MeterProvider)       ${m.toFixed(1)} ns/add`);
    console.log(`  worker thread (light thread provider) ${t.toFixed(1)} ns/add`);
    console.log(`  ratio thread/main: ${(t / m).toFixed(2)}`);
  })();
} else {
  const c = counter();
  parentPort.on('message', () => parentPort.postMessage(round(c)));
}
