// bench/coalesce: what merging a new collection into the waiting one costs the queue, at 1k /
// 10k / 100k points (100 / 1,000 / 10,000 delta counters × 10 series), and that cost per 100k
// points: linear means the last column stays flat. Upstream has no queue, so nothing to compare
// against; BENCH_COALESCE_MODULE=<path to a compiled coalesce.js> times another implementation
// (an older commit's) in the same run.
// Run: npm run build && node --expose-gc bench/coalesce.js
'use strict';
const path = require('node:path');
const os = require('node:os');

const modules = [['ours', path.join(__dirname, '..', 'dist/exporters/delivery/coalesce.js')]];
if (process.env.BENCH_COALESCE_MODULE) modules.push(['other', path.resolve(process.env.BENCH_COALESCE_MODULE)]);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function collection(metrics, value) {
  const list = [];
  for (let m = 0; m < metrics; m++) {
    list.push({
      descriptor: { name: `c${m}`, description: '', unit: '1', valueType: 1 },
      dataPointType: 3, aggregationTemporality: 0, isMonotonic: true,
      dataPoints: Array.from({ length: 10 }, (_, p) => ({ startTime: [m, 0], endTime: [m + 1, 0], attributes: { series: p, route: '/api/v1/items' }, value })),
    });
  }
  return { resource: { attributes: { 'service.name': 's' } }, scopeMetrics: [{ scope: { name: 'app' }, metrics: list }] };
}

console.log(`coalesce: ms per call (median of ${ROUNDS}, min–max) and ms per 100k points; node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| implementation | points | ms per call | ms per 100k points |');
console.log('|---|---|---|---|');
for (const [name, file] of modules) {
  const { coalesce } = require(file);
  for (const metrics of [100, 1000, 10_000]) {
    const times = [];
    for (let r = 0; r < ROUNDS; r++) {
      const a = collection(metrics, 1);
      const b = collection(metrics, 2);
      // Garbage from building the inputs is not the merge's cost.
      globalThis.gc?.();
      const t0 = process.hrtime.bigint();
      coalesce(a, b);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((x, y) => x - y);
    const med = times[Math.floor(times.length / 2)];
    console.log(`| ${name} | ${metrics * 10} | ${med.toFixed(1)} (${times[0].toFixed(1)}–${times.at(-1).toFixed(1)}) | ${(med * 100_000 / (metrics * 10)).toFixed(1)} |`);
  }
}
