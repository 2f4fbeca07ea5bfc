import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { EnvReader } from '../../../core/env-reader';
import { ExportError } from '../../../exporters/delivery/export-error';
import { readInfluxConfig } from '../../../exporters/influx/influx-config';
import { InfluxMetricExporter } from '../../../exporters/influx/influx-exporter';
import { batch, gauge, point, sum } from '../../helpers/influx-batches';
import { InfluxFakeServer } from '../../helpers/influx-fake-server';
import { testCerts } from '../../helpers/certs';
import { havePeer } from '../../helpers/peers';

let fake: InfluxFakeServer;
before(async () => { fake = await InfluxFakeServer.start(); });
after(() => fake.stop());
beforeEach(() => {
  fake.writes.length = 0;
  fake.answer = () => ({ status: 204 });
});

function exporter(options: Record<string, unknown>): InfluxMetricExporter {
  return new InfluxMetricExporter(readInfluxConfig(new EnvReader({}, () => {}), { endpoint: fake.url, ...options }));
}
const send = (e: InfluxMetricExporter, rm: ResourceMetrics) => new Promise<ExportResult>((r) => e.export(rm, r));
const streams = (n: number) => batch([sum('jobs', Array.from({ length: n }, (_, i) => point(i, { i })))]);

test('v2: path, query, Token header, gzip and body', async () => {
  const e = exporter({ api: 'v2', org: 'my org', bucket: 'b', token: 'tok', precision: 'ms' });
  const result = await send(e, batch([gauge('temp', [point(21.5, { room: 'a b' })])]));
  assert.equal(result.code, ExportResultCode.SUCCESS);
  const [w] = fake.writes;
  assert.equal(w.method, 'POST');
  assert.equal(w.path, '/api/v2/write');
  assert.deepEqual(Object.fromEntries(w.query), { org: 'my org', bucket: 'b', precision: 'ms' });
  assert.equal(w.headers.authorization, 'Token tok');
  assert.equal(w.gzip, true);
  assert.match(w.headers['content-type'] ?? '', /^text\/plain/);
  assert.equal(w.headers['user-agent'], 'otel-metrics-pipeline');
  assert.deepEqual(w.lines, ['temp,otel.library.name=lib,otel.library.version=1.0,room=a\\ b,service.name=shop gauge=21.5,start_time_unix_nano=1700000000000000000i 1700000010123']);
  await e.shutdown();
});

test('v3: /api/v3/write_lp with Bearer, uncompressed when asked; any 2xx is success', async () => {
  fake.answer = () => ({ status: 200 });
  const e = exporter({ api: 'v3', database: 'metrics', token: 'tok3', compression: 'none', precision: 's' });
  assert.equal((await send(e, streams(2))).code, ExportResultCode.SUCCESS);
  const [w] = fake.writes;
  assert.equal(w.path, '/api/v3/write_lp');
  assert.deepEqual(Object.fromEntries(w.query), { db: 'metrics', precision: 'second' });
  assert.equal(w.headers.authorization, 'Bearer tok3');
  assert.equal(w.gzip, false);
  assert.equal(w.lines.length, 2);
  await e.shutdown();
});

test('batches are split by the line limit and sent in order', async () => {
  const e = exporter({ api: 'v2', org: 'o', bucket: 'b', token: 't', maxBatchLines: 3 });
  assert.equal((await send(e, streams(7))).code, ExportResultCode.SUCCESS);
  assert.deepEqual(fake.writes.map((w) => w.lines.length), [3, 3, 1]);
  await e.shutdown();
});

test('413: the body is halved and resent until it fits', async () => {
  fake.answer = (w) => (w.lines.length > 2 ? { status: 413, body: '{"code":"request too large"}' } : { status: 204 });
  const e = exporter({ api: 'v2', org: 'o', bucket: 'b', token: 't' });
  assert.equal((await send(e, streams(7))).code, ExportResultCode.SUCCESS);
  const accepted = fake.writes.filter((w) => w.lines.length <= 2).flatMap((w) => w.lines);
  assert.equal(accepted.length, 7);
  assert.equal(new Set(accepted).size, 7);
  await e.shutdown();
});

test('413 for a single line is a permanent failure', async () => {
  fake.answer = () => ({ status: 413 });
  const e = exporter({ api: 'v2', org: 'o', bucket: 'b', token: 't' });
  const result = await send(e, streams(1));
  assert.equal(result.code, ExportResultCode.FAILED);
  assert.equal((result.error as ExportError).retryable, false);
  assert.match(result.error!.message, /larger than the server accepts/);
  await e.shutdown();
});

test('429 with Retry-After: a retryable ExportError, no retry inside the exporter', async () => {
  fake.answer = () => ({ status: 429, headers: { 'retry-after': '3' }, body: '{"code":"too many requests","message":"slow down"}' });
  const e = exporter({ api: 'v2', org: 'o', bucket: 'b', token: 't', maxBatchLines: 1 });
  const result = await send(e, streams(3));
  assert.equal(result.code, ExportResultCode.FAILED);
  const error = result.error as ExportError;
  assert.ok(error instanceof ExportError);
  assert.deepEqual([error.retryable, error.retryAfterMillis, error.httpStatus, error.type], [true, 3000, 429, '429']);
  assert.equal(fake.writes.length, 1, 'stops at the first retryable failure and makes one attempt');
  await e.shutdown();
});

test('a partial write fails the batch permanently but the other bodies are still sent', async () => {
  fake.answer = (_w, i) => (i === 0 ? { status: 422, body: '{"code":"unprocessable entity","message":"partial write: field type conflict dropped=1"}' } : { status: 204 });
  const e = exporter({ api: 'v2', org: 'o', bucket: 'b', token: 't', maxBatchLines: 2 });
  const result = await send(e, streams(5));
  assert.equal(fake.writes.length, 3);
  const error = result.error as ExportError;
  assert.deepEqual([result.code, error.retryable, error.type], [ExportResultCode.FAILED, false, 'partial_write']);
  assert.match(error.message, /rejected 1 of 2 line\(s\)/);
  await e.shutdown();
});

test('401 stops at once with an auth error that never shows the token', async () => {
  fake.answer = () => ({ status: 401, body: '{"code":"unauthorized","message":"unauthorized access"}' });
  const e = exporter({ api: 'v2', org: 'o', bucket: 'b', token: 'sekrit-token', maxBatchLines: 1 });
  const result = await send(e, streams(3));
  assert.equal(fake.writes.length, 1);
  assert.equal((result.error as ExportError).retryable, false);
  assert.match(result.error!.message, /^authentication failed at influxdb http:\/\/127\.0\.0\.1:\d+\/api\/v2\/write \(HTTP 401: unauthorized access\)/);
  assert.match((result.error as ExportError).destination ?? '', /^influxdb http:\/\/127\.0\.0\.1:\d+\/api\/v2\/write$/);
  assert.doesNotMatch(result.error!.message, /sekrit/);
  await e.shutdown();
});

test('a refused connection is retryable; exporting after shutdown fails permanently', async () => {
  const e = new InfluxMetricExporter(readInfluxConfig(new EnvReader({}, () => {}), { endpoint: 'http://127.0.0.1:1', api: 'v3', database: 'd' }));
  const refused = await send(e, streams(1));
  assert.deepEqual([(refused.error as ExportError).retryable, (refused.error as ExportError).type], [true, 'ECONNREFUSED']);
  await e.shutdown();
  const late = await send(e, streams(1));
  assert.equal((late.error as ExportError).type, 'shutdown');
});

test('nothing writable means nothing sent', async () => {
  const e = exporter({ api: 'v2', org: 'o', bucket: 'b', token: 't' });
  assert.equal((await send(e, batch([gauge('g', [point(NaN)])]))).code, ExportResultCode.SUCCESS);
  assert.equal(fake.writes.length, 0);
  await e.shutdown();
});

test('TLS: the configured CA and client certificate (mTLS); an untrusted server is a permanent error', async (t) => {
  if (!havePeer(t, 'openssl', ['version'])) return;
  const certs = testCerts();
  const secure = await InfluxFakeServer.start({ key: certs.serverKey, cert: certs.serverCert, ca: certs.ca });
  try {
    const env = new EnvReader({
      OTEL_EXPORTER_INFLUXDB_ENDPOINT: secure.url.replace('127.0.0.1', 'localhost'),
      OTEL_EXPORTER_INFLUXDB_API: 'v3', OTEL_EXPORTER_INFLUXDB_DATABASE: 'd', OTEL_EXPORTER_INFLUXDB_TOKEN: 't',
      OTEL_EXPORTER_INFLUXDB_CERTIFICATE: certs.caFile,
      OTEL_EXPORTER_INFLUXDB_CLIENT_KEY: certs.clientKeyFile,
      OTEL_EXPORTER_INFLUXDB_CLIENT_CERTIFICATE: certs.clientCertFile,
    }, () => {});
    const e = new InfluxMetricExporter(readInfluxConfig(env));
    assert.equal((await send(e, streams(2))).code, ExportResultCode.SUCCESS);
    assert.equal(secure.writes[0].clientAuthorized, true);
    await e.shutdown();
    const untrusting = new InfluxMetricExporter(readInfluxConfig(new EnvReader({}, () => {}), { endpoint: secure.url, api: 'v3', database: 'd' }));
    const result = await send(untrusting, streams(1));
    assert.equal((result.error as ExportError).retryable, false);
    await untrusting.shutdown();
  } finally {
    await secure.stop();
  }
});
