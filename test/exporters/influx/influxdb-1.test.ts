import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { ValueType } from '@opentelemetry/api';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { EnvReader } from '../../../core/env-reader';
import type { ExportError } from '../../../exporters/delivery/export-error';
import { readInfluxConfig } from '../../../exporters/influx/influx-config';
import { InfluxMetricExporter } from '../../../exporters/influx/influx-exporter';
import { batch, END, expHistogram, gauge, histogram, point, sum } from '../../helpers/influx-batches';
import { InfluxServer } from '../../helpers/influxdb-server';
import { havePeer } from '../../helpers/peers';

// The serializer and exporter against a real InfluxDB 1.6 (Debian `influxdb`): what is written
// must read back through /query exactly, and each failure class must be the documented one.

let server: InfluxServer | undefined;
before(async () => { if (installed()) server = await InfluxServer.start({ databases: ['m'], maxBodySize: 2048 }); });
after(() => server?.stop());

// Each test reports a missing influxd itself (havePeer); this only avoids starting it.
function installed(): boolean {
  try {
    execFileSync('influxd', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const exporter = (options: Record<string, unknown>) =>
  new InfluxMetricExporter(readInfluxConfig(new EnvReader({}, () => {}), { endpoint: server!.url, api: 'v1', database: 'm', ...options }));
const send = (e: InfluxMetricExporter, rm: ResourceMetrics) => new Promise<ExportResult>((r) => e.export(rm, r));

test('every data type reads back exactly, escaped names and tags included', async (t) => {
  if (!havePeer(t, 'influxd', ['version'])) return;
  const e = exporter({ precision: 'ns' });
  const h = { count: 5, sum: 12.5, min: 0.5, max: 7, buckets: { boundaries: [1, 5], counts: [2, 2, 1] } };
  const x = { count: 3, sum: 7, scale: 0, zeroCount: 1, min: 0, max: 4, positive: { offset: 0, bucketCounts: [1, 1] }, negative: { offset: 0, bucketCounts: [] } };
  const result = await send(e, batch([
    sum('rt.requests', [point(42, { 'http route': '/a,b=c', path: 'C:\\' })], true, ValueType.INT),
    sum('rt.queue', [point(-3.25)], false),
    gauge('#rt.temp', [point(0.1 + 0.2, { time: 'noon' })]),
    histogram('rt.latency', [point(h)]),
    expHistogram('rt.size', [point(x)]),
  ]));
  assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
  const rows = async (m: string) => InfluxServer.rows(await server!.query(`SELECT * FROM "${m}"`, 'm', true, 'ns'));
  const [req] = await rows('rt.requests');
  assert.deepEqual([req.counter, req['http route'], req.path, req['service.name']], [42, '/a,b=c', 'C:\\_', 'shop']);
  // JSON numbers cannot carry 19 digits: match the nanosecond time exactly in InfluxQL instead.
  assert.equal((await server!.query('SELECT counter FROM "rt.requests" WHERE time = 1700000010123456789', 'm')).length, 1);
  assert.equal((await rows('rt.queue'))[0].gauge, -3.25);
  const [temp] = await rows('_#rt.temp');
  assert.deepEqual([temp.gauge, temp.time_], [0.30000000000000004, 'noon']);
  const [lat] = await rows('rt.latency');
  assert.deepEqual([lat.count, lat.sum, lat.min, lat.max, lat['1'], lat['5'], lat['+Inf']], [5, 12.5, 0.5, 7, 2, 4, 5]);
  const [size] = await rows('rt.size');
  assert.deepEqual([size.count, size['0'], size['2'], size['4'], size['+Inf']], [3, 1, 2, 3, 3]);
  const types = InfluxServer.rows(await server!.query('SHOW FIELD KEYS FROM "rt.requests"', 'm'));
  assert.deepEqual(types.find((r) => r.fieldKey === 'counter')?.fieldType, 'integer');
  await e.shutdown();
});

for (const precision of ['us', 'ms', 's'] as const) {
  test(`precision ${precision}: the stored time is the end time truncated to it`, async (t) => {
    if (!havePeer(t, 'influxd', ['version'])) return;
    const e = exporter({ precision });
    assert.equal((await send(e, batch([gauge(`p_${precision}`, [point(1)])]))).code, ExportResultCode.SUCCESS);
    // Microseconds since 1970 still fit a JSON number exactly.
    const [row] = InfluxServer.rows(await server!.query(`SELECT * FROM "p_${precision}"`, 'm', true, 'u'));
    const micros = END[0] * 1_000_000 + Math.floor(END[1] / 1000);
    const unit = { us: 1, ms: 1000, s: 1_000_000 }[precision];
    assert.equal(row.time, Math.floor(micros / unit) * unit);
    await e.shutdown();
  });
}

test('a field type conflict is a partial write: not retried, first error and dropped count', async (t) => {
  if (!havePeer(t, 'influxd', ['version'])) return;
  const e = exporter({});
  assert.equal((await send(e, batch([sum('conflict', [point(1)], true, ValueType.INT)]))).code, ExportResultCode.SUCCESS);
  const result = await send(e, batch([sum('conflict', [point(1.5)])]));
  const error = result.error as ExportError;
  assert.deepEqual([result.code, error.retryable, error.type, error.httpStatus], [ExportResultCode.FAILED, false, 'partial_write', 400]);
  assert.match(error.message, /rejected 1 of 1 line\(s\) \(HTTP 400\), not retried; first error: partial write: field type conflict: input field "counter" on measurement "conflict" is type float, already exists as type integer dropped=1/);
  await e.shutdown();
});

test('a missing database (404) and retention policy (500) are permanent, with clear messages', async (t) => {
  if (!havePeer(t, 'influxd', ['version'])) return;
  const noDb = await send(exporter({ database: 'absent' }), batch([gauge('g', [point(1)])]));
  assert.deepEqual([(noDb.error as ExportError).retryable, (noDb.error as ExportError).httpStatus], [false, 404]);
  assert.match(noDb.error!.message, /database not found: "absent"/);
  const noRp = await send(exporter({ retentionPolicy: 'gone' }), batch([gauge('g', [point(1)])]));
  assert.deepEqual([(noRp.error as ExportError).retryable, (noRp.error as ExportError).type], [false, 'retention_policy_not_found']);
});

test('413 from max-body-size: the batch is halved until every line is stored', async (t) => {
  if (!havePeer(t, 'influxd', ['version'])) return;
  const e = exporter({ compression: 'none' });
  const points = Array.from({ length: 40 }, (_, i) => point(i, { stream: `s${i}` }));
  const result = await send(e, batch([sum('big', points)]));
  assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
  const [count] = InfluxServer.rows(await server!.query('SELECT COUNT(counter) FROM big', 'm'));
  assert.equal(count.count, 40);
});
