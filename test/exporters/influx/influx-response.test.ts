import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyInfluxResponse, type InfluxVerdict } from '../../../exporters/influx/influx-response';
import type { InfluxApi } from '../../../exporters/influx/influx-options';

const D = 'influxdb http://db:8086/write';
const classify = (api: InfluxApi, status: number, body: unknown = '', headers = {}) =>
  classifyInfluxResponse(api, status, headers, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), D, 10);
const failure = (v: InfluxVerdict) => {
  assert.equal(v.kind, 'failed');
  return (v as Extract<InfluxVerdict, { kind: 'failed' }>).details;
};

test('204 is success; on v3 any 2xx; a 200 on v1/v2 is not an InfluxDB write answer', () => {
  assert.deepEqual(classify('v1', 204), { kind: 'ok' });
  assert.deepEqual(classify('v2', 204), { kind: 'ok' });
  assert.deepEqual(classify('v3', 200), { kind: 'ok' });
  const e = failure(classify('v2', 200, 'hello'));
  assert.equal(e.retryable, false);
  assert.match(e.message, /unexpected HTTP 200/);
});

test('400/422 partial writes: not retried, first error and dropped count', () => {
  const v1 = failure(classify('v1', 400, { error: 'partial write: field type conflict: input field "counter" on measurement "x" is type float, already exists as type integer dropped=3' }));
  assert.deepEqual([v1.retryable, v1.type, v1.httpStatus], [false, 'partial_write', 400]);
  assert.match(v1.message, /rejected 3 of 10 line\(s\) \(HTTP 400\), not retried; first error: partial write: field type conflict/);
  const v2 = failure(classify('v2', 422, { code: 'unprocessable entity', message: 'failure writing points to database: partial write: points beyond retention policy dropped=2' }));
  assert.match(v2.message, /rejected 2 of 10/);
  const v3 = failure(classify('v3', 400, { error: 'partial write of line protocol occurred', data: [{ original_line: 'x', line_number: 2, error_message: 'invalid column type' }, { line_number: 5, error_message: 'y' }] }));
  assert.match(v3.message, /rejected 2 of 10 line\(s\).*first error: partial write of line protocol occurred: invalid column type \(line 2\)/);
  const parse = failure(classify('v1', 400, { error: "unable to parse 'x': missing fields" }));
  assert.deepEqual([parse.retryable, parse.type], [false, '400']);
  assert.match(parse.message, /rejected all of 10/);
});

test('401/403: a clear auth error naming the endpoint, not retried', () => {
  for (const [api, status] of [['v1', 401], ['v2', 401], ['v3', 403]] as const) {
    const e = failure(classify(api, status, { error: 'authorization failed' }));
    assert.equal(e.retryable, false);
    assert.match(e.message, new RegExp(`^authentication failed at ${D} \\(HTTP ${status}: authorization failed\\); check OTEL_EXPORTER_INFLUXDB_`));
  }
});

test('404 and 500 "retention policy not found" are permanent; other 5xx, 429 retryable with Retry-After seconds', () => {
  const nf = failure(classify('v1', 404, { error: 'database not found: "nope"' }));
  assert.deepEqual([nf.retryable, nf.type], [false, '404']);
  assert.match(nf.message, /database not found: "nope".*create the database/);
  const rp = failure(classify('v1', 500, { error: 'retention policy not found: nope' }));
  assert.deepEqual([rp.retryable, rp.type], [false, 'retention_policy_not_found']);
  const busy = failure(classify('v2', 429, { code: 'too many requests' }, { 'retry-after': '7' }));
  assert.deepEqual([busy.retryable, busy.retryAfterMillis, busy.type], [true, 7000, '429']);
  const down = failure(classify('v2', 503, '', { 'retry-after': '2' }));
  assert.deepEqual([down.retryable, down.retryAfterMillis], [true, 2000]);
  const oops = failure(classify('v1', 500, { error: 'timeout' }));
  assert.deepEqual([oops.retryable, oops.retryAfterMillis], [true, undefined]);
});

test('413 asks for a split; other 4xx are permanent', () => {
  assert.deepEqual(classify('v1', 413), { kind: 'split' });
  assert.equal(failure(classify('v2', 405)).retryable, false);
});
