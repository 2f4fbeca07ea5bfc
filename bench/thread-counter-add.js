// bench/thread-counter-add: the hot-path cost of counter.add in a worker thread under the
// preload (the light thread provider) against the main thread's (the SDK MeterProvider the
// preload installs), in the same run: N adds over 100 attribute sets, median of BENCH_ROUNDS.
// Run: npm run build && node bench/thread-counter-add.js
'use strict';
const path = require('node:path');
const { Worker, isMainThread, parentPort } = require('node:worker_threads');
const { metrics } = require('@opentelemetry/api');

const N = Number(process.env.BENCH_ADDS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const attrs = Array.from({ length: 100 }, (_, i) => ({ 'http.route': `/r/${i}`, 'http.request.method': 'GET' }));

function measure() {
  const counter = metrics.getMeter('bench').createCounter('bench.adds');
  const ns = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) counter.add(1, attrs[i % 100]);
    ns.push(Number(process.hrtime.bigint() - t) / N);
  }
  return ns.sort((a, b) => a - b)[Math.floor(ns.length / 2)];
}

if (isMainThread) {
  if (!process.env.BENCH_CHILD) {
    // Re-run under the preload, the way an app runs.
    const { spawnSync } = require('node:child_process');
    // A reader, so the main thread's adds really aggregate (with none the SDK drops them at once).
    const r = spawnSync(process.execPath, ['--require', path.join(__dirname, '..', 'dist/src/register.js'), __filename], {
      env: { ...process.env, BENCH_CHILD: '1', OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: '29464', OTEL_METRICS_INSTRUMENTATIONS: 'none' }, stdio: 'inherit',
    });
    process.exit(r.status ?? 1);
  }
  const main = measure();
  const worker = new Worker(__filename);
  worker.once('message', (thread) => {
    console.log(`counter.add, ${N} adds over 100 attribute sets, median of ${ROUNDS}:`);
    console.log(`  main thread (SDK MeterProvider)      ${main.toFixed(1)} ns/add`);
    console.log(`  worker thread (light thread provider) ${thread.toFixed(1)} ns/add`);
    console.log(`  ratio thread/main: ${(thread / main).toFixed(2)}`);
  });
} else {
  parentPort.postMessage(measure());
}
