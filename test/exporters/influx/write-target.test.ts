import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InfluxConfig } from '../../../exporters/influx/influx-options';
import { halveBody, splitLines } from '../../../exporters/influx/split-lines';
import { writeTarget } from '../../../exporters/influx/write-target';

const base: InfluxConfig = { api: 'v2', endpoint: 'http://db:8086', precision: 'ns', compression: 'gzip', timeoutMillis: 1000, resourceTags: [], maxBatchLines: 1, maxBatchBytes: 1, missing: [] };

test('v1: /write?db=&rp=&precision= with n/u/ms/s and basic auth', () => {
  const expected = { ns: 'n', us: 'u', ms: 'ms', s: 's' } as const;
  for (const precision of ['ns', 'us', 'ms', 's'] as const) {
    const t = writeTarget({ ...base, api: 'v1', database: 'my db', retentionPolicy: 'a&b', username: 'u', password: 'p', precision });
    assert.equal(t.url, `http://db:8086/write?db=my+db&rp=a%26b&precision=${expected[precision]}`);
    assert.deepEqual(t.headers, { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
  }
  assert.equal(writeTarget({ ...base, api: 'v1', database: 'd', token: 'tk' }).headers.authorization, 'Token tk');
});

test('v2: /api/v2/write?org=&bucket=&precision= with ns/us/ms/s and Token', () => {
  const t = writeTarget({ ...base, org: 'o', bucket: 'b', token: 'tk', precision: 'us' });
  assert.equal(t.url, 'http://db:8086/api/v2/write?org=o&bucket=b&precision=us');
  assert.deepEqual(t.headers, { authorization: 'Token tk' });
  assert.equal(t.destination, 'influxdb http://db:8086/api/v2/write');
});

test('v3: /api/v3/write_lp?db=&precision= with Bearer; the endpoint path is kept', () => {
  const t = writeTarget({ ...base, api: 'v3', endpoint: 'https://proxy/influx', database: 'd', token: 'tk', precision: 'ms' });
  assert.equal(t.url, 'https://proxy/influx/api/v3/write_lp?db=d&precision=millisecond');
  assert.deepEqual(t.headers, { authorization: 'Bearer tk' });
  assert.equal(writeTarget({ ...base, api: 'v3', database: 'd' }).url, 'http://db:8086/api/v3/write_lp?db=d&precision=nanosecond');
});

test('batches split by line count and by UTF-8 bytes; an oversized line goes alone', () => {
  const lines = ['a 1', 'b 2', 'c 3', 'd 4', 'e 5'];
  assert.deepEqual(splitLines(lines, 2, 1000), ['a 1\nb 2\n', 'c 3\nd 4\n', 'e 5\n']);
  assert.deepEqual(splitLines(lines, 100, 8), ['a 1\nb 2\n', 'c 3\nd 4\n', 'e 5\n']);
  assert.deepEqual(splitLines(['é 1', 'x 1'], 100, 8), ['é 1\n', 'x 1\n']);
  assert.deepEqual(splitLines(['long line here', 'x'], 100, 4), ['long line here\n', 'x\n']);
  assert.deepEqual(splitLines([], 10, 10), []);
});

test('a body is halved at a line boundary for a 413', () => {
  assert.deepEqual(halveBody('a\nb\nc\n'), ['a\nb\n', 'c\n']);
  assert.equal(halveBody('a\n'), undefined);
});
