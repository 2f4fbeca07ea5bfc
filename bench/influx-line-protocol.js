// bench/influx-line-protocol: line-protocol serializer throughput, ours against the official
// client's Point.toLineProtocol(), in the same run on the same 100k points.
//  - ours, first export: every stream's measurement and tags escaped and sorted (cold cache);
//  - ours, steady state: later exports of the same streams with new values and times, where
//    only fields and timestamps are formatted (what every export after the first costs);
//  - Point: a Point built from each data point and serialized, as an exporter on
//    @influxdata/influxdb-client must do on every export; also toLineProtocol() alone.
// Tags are escaping-heavy: spaces, commas and = in keys and values.
// Each timing starts after a full GC (node --expose-gc) so one contender's garbage is not billed
// to the next.
// Run: npm run bench:influx   (= npm run build && npm ci --prefix bench && node --expose-gc bench/influx-line-protocol.js)
//      (BENCH_POINTS, BENCH_ROUNDS to change the sample)
'use strict';
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist');
const { createLineProtocolSerializer } = require(path.join(dist, 'exporters/influx/line-protocol-serializer.js'));
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { Point } = require(require.resolve('@influxdata/influxdb-client', { paths: [__dirname] }));

const POINTS = Number(process.env.BENCH_POINTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const METRICS = 10;
const resource = resourceFromAttributes({ 'service.name': 'checkout service', 'host.name': 'web 01,eu', 'service.instance.id': 'id=42' });
const scope = { name: 'bench lib', version: '1.0' };

// One attributes object per stream, reused across exports as the SDK does.
const streams = Array.from({ length: POINTS / METRICS }, (_, i) => ({
  'http.route': `/api/v1/items, page=${i % 100}`,
  'user agent': 'Mozilla/5.0 (X11; Linux x86_64)',
  'region name': `eu west=${i % 7}`,
  'stream id': `s ${i}`,
}));

function collection(round) {
  const end = [1_700_000_000 + round, 123_456_789];
  const metrics = Array.from({ length: METRICS }, (_, m) => ({
    descriptor: { name: `http server,requests ${m}`, description: '', unit: '', valueType: m % 2 },
    aggregationTemporality: 1,
    dataPointType: 3,
    isMonotonic: m % 3 !== 0,
    dataPoints: streams.map((attributes, i) => ({ startTime: [1_700_000_000, 0], endTime: end, attributes, value: m % 2 === 0 ? i + round : (i + round) * 1.25 })),
  }));
  return { resource, scopeMetrics: [{ scope, metrics }] };
}

// Points carrying exactly what our lines carry, so both outputs can be compared byte for byte.
function buildPoints(rm) {
  const points = [];
  for (const { scope: s, metrics } of rm.scopeMetrics) {
    for (const metric of metrics) {
      const key = metric.isMonotonic ? 'counter' : 'gauge';
      for (const p of metric.dataPoints) {
        const point = new Point(metric.descriptor.name);
        for (const [k, v] of Object.entries(p.attributes)) point.tag(k, String(v));
        for (const k of ['service.name', 'host.name', 'service.instance.id']) point.tag(k, String(rm.resource.attributes[k]));
        point.tag('otel.library.name', s.name).tag('otel.library.version', s.version);
        if (metric.descriptor.valueType === 0) point.intField(key, p.value); else point.floatField(key, p.value);
        point.intField('start_time_unix_nano', `${p.startTime[0]}${String(p.startTime[1]).padStart(9, '0')}`);
        point.timestamp(`${p.endTime[0]}${String(p.endTime[1]).padStart(9, '0')}`);
        points.push(point);
      }
    }
  }
  return points;
}
const viaPoint = (rm) => buildPoints(rm).map((p) => p.toLineProtocol());

const bytesOf = (lines) => lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn) {
  globalThis.gc?.();
  const t0 = process.hrtime.bigint();
  const out = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, out };
}

if (!globalThis.gc) console.log('(run with node --expose-gc for steadier figures)');

// Correctness first: both produce the same lines.
const first = collection(0);
const check = createLineProtocolSerializer({ resourceTags: ['service.name', 'host.name', 'service.instance.id'] })(first).lines;
const theirs = viaPoint(first);
if (check.length !== POINTS || check.some((l, i) => l !== theirs[i])) {
  const i = check.findIndex((l, j) => l !== theirs[j]);
  throw new Error(`outputs differ at line ${i}:\n ours:   ${check[i]}\n Point:  ${theirs[i]}`);
}
const bytes = bytesOf(check);

const cold = [];
const warm = [];
const point = [];
const pointOnly = [];
for (let r = 0; r < ROUNDS; r++) {
  const serialize = createLineProtocolSerializer({ resourceTags: ['service.name', 'host.name', 'service.instance.id'] });
  const input = collection(2 * r);
  cold.push(time(() => serialize(input)).ms);
  const next = collection(2 * r + 1);
  warm.push(time(() => serialize(next)).ms);
  point.push(time(() => viaPoint(next)).ms);
  const built = buildPoints(next);
  pointOnly.push(time(() => built.map((p) => p.toLineProtocol())).ms);
}

const row = (label, ms) => {
  const seconds = median(ms) / 1000;
  console.log(`${label.padEnd(44)} ${(POINTS / seconds / 1e6).toFixed(2).padStart(6)} M lines/s ${(bytes / seconds / 1e6).toFixed(1).padStart(7)} MB/s  (median ${median(ms).toFixed(1)} ms)`);
  return POINTS / seconds;
};
console.log(`node ${process.version}; ${POINTS} points (${METRICS} metrics x ${POINTS / METRICS} streams), ${(bytes / POINTS).toFixed(0)} bytes/line, ${ROUNDS} rounds, identical output checked`);
const w = row('ours, steady state (streams cached)', warm);
const c = row('ours, first export (every stream escaped)', cold);
const p = row('@influxdata/influxdb-client Point, build+toLP', point);
row('  of which Point.toLineProtocol() alone', pointOnly);
console.log(`ratio ours/Point: steady state ${(w / p).toFixed(1)}x, first export ${(c / p).toFixed(1)}x`);
