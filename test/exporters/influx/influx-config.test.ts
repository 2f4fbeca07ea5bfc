import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnvReader } from '../../../core/env-reader';
import { ConfigError } from '../../../core/errors';
import { readInfluxConfig } from '../../../exporters/influx/influx-config';

const read = (env: Record<string, string>, options?: unknown) => {
  const lines: string[] = [];
  const notes: string[] = [];
  const config = readInfluxConfig(new EnvReader(env, (l) => lines.push(l), undefined, (l) => notes.push(l)), options);
  return { config, lines, notes };
};
const P = 'OTEL_EXPORTER_INFLUXDB_';

test('defaults: v2 at localhost:8086, ns, gzip, 10 s; org and bucket are required', () => {
  const { config, lines } = read({});
  assert.equal(config.api, 'v2');
  assert.equal(config.endpoint, 'http://localhost:8086');
  assert.equal(config.precision, 'ns');
  assert.equal(config.compression, 'gzip');
  assert.equal(config.timeoutMillis, 10_000);
  assert.deepEqual(config.resourceTags, ['service.name', 'service.namespace', 'service.instance.id', 'host.name']);
  assert.equal(config.missing.length, 2);
  assert.deepEqual(lines, [
    `influxdb: API v2 needs an organization (${P}ORG); the InfluxDB exporter does not start without it`,
    `influxdb: API v2 needs a bucket (${P}BUCKET); the InfluxDB exporter does not start without it`,
  ]);
});

test('a missing v2 token is allowed: one info line when the exporter starts, none next to a start-up failure', () => {
  const started = read({ [P + 'ORG']: 'o', [P + 'BUCKET']: 'b' });
  assert.deepEqual(started.config.missing, []);
  assert.deepEqual(started.lines, []);
  assert.deepEqual(started.notes, [`influxdb: no token (${P}TOKEN) for API v2; writing without one (InfluxDB 2.x refuses that with 401, a 1.8 server with auth off accepts it)`]);
  const failed = read({ [P + 'DATABASE']: 'metrics' });
  assert.equal(failed.config.missing.length, 2);
  assert.deepEqual(failed.notes, [], 'no "writing without one" next to "does not start"');
  assert.ok(failed.lines.every((l) => !/writing/.test(l)), failed.lines.join('\n'));
});

test('every variable is read', () => {
  const { config, lines } = read({
    [P + 'ENDPOINT']: 'https://influx.example:8443/base/', [P + 'API']: 'V1', [P + 'DATABASE']: 'db', [P + 'RETENTION_POLICY']: 'rp',
    [P + 'USERNAME']: 'u', [P + 'PASSWORD']: 'p', [P + 'PRECISION']: 'ms', [P + 'COMPRESSION']: 'none', [P + 'TIMEOUT']: '2500',
    [P + 'RESOURCE_TAGS']: 'service.name, K8s.Pod.Name',
  });
  assert.deepEqual(lines, []);
  assert.equal(config.endpoint, 'https://influx.example:8443/base');
  assert.deepEqual({ api: config.api, db: config.database, rp: config.retentionPolicy, u: config.username, p: config.password }, { api: 'v1', db: 'db', rp: 'rp', u: 'u', p: 'p' });
  assert.deepEqual({ precision: config.precision, compression: config.compression, timeout: config.timeoutMillis }, { precision: 'ms', compression: 'none', timeout: 2500 });
  assert.deepEqual(config.resourceTags, ['service.name', 'K8s.Pod.Name']);
  assert.deepEqual(config.missing, []);
});

test('bad values: one line each naming the variable and the fallback', () => {
  const { config, lines } = read({ [P + 'API']: 'v4', [P + 'PRECISION']: 'n', [P + 'COMPRESSION']: 'br', [P + 'TIMEOUT']: '-1', [P + 'ORG']: 'o', [P + 'BUCKET']: 'b', [P + 'TOKEN']: 't' });
  assert.deepEqual(lines, [
    `invalid ${P}API="v4" (expected one of v1, v2, v3); using v2`,
    `invalid ${P}PRECISION="n" (expected one of ns, us, ms, s); using ns`,
    `invalid ${P}COMPRESSION="br" (expected one of gzip, none); using gzip`,
    `invalid ${P}TIMEOUT="-1" (expected a whole number of milliseconds > 0); using 10000`,
  ]);
  assert.equal(config.precision, 'ns');
});

test('contradictions: token with password, credentials in the wrong API; secrets never printed', () => {
  const { config, lines } = read({ [P + 'API']: 'v1', [P + 'DATABASE']: 'db', [P + 'TOKEN']: 'sekrit-token', [P + 'USERNAME']: 'u', [P + 'PASSWORD']: 'sekrit-pass', [P + 'BUCKET']: 'b' });
  assert.equal(config.token, 'sekrit-token');
  assert.equal(config.password, undefined);
  assert.deepEqual(lines, [
    `influxdb: ${P}TOKEN and a username/password are both set; using the token, ignoring the username and password`,
    `influxdb: ${P}BUCKET is ignored with API v1 (v1 writes to DATABASE)`,
  ]);
  const v3 = read({ [P + 'API']: 'v3', [P + 'USERNAME']: 'u', [P + 'PASSWORD']: 'sekrit-pass', [P + 'RETENTION_POLICY']: 'rp' });
  assert.deepEqual(v3.lines, [
    `influxdb: API v3 needs a database (${P}DATABASE); the InfluxDB exporter does not start without it`,
    `influxdb: ${P}RETENTION_POLICY is ignored with API v3 (v3 has no retention policies)`,
    `influxdb: ${P}USERNAME is ignored with API v3 (v3 takes a token, not a password)`,
  ]);
  const half = read({ [P + 'API']: 'v1', [P + 'DATABASE']: 'db', [P + 'PASSWORD']: 'sekrit-pass' });
  assert.deepEqual(half.lines, [`influxdb: ${P}PASSWORD is set without a username; sending no credentials`]);
  for (const line of [...lines, ...v3.lines, ...half.lines]) assert.doesNotMatch(line, /sekrit/);
});

test('credentials in the endpoint URL are moved out of it; a bad URL is not echoed', () => {
  const { config } = read({ [P + 'ENDPOINT']: 'http://me:p%40ss@db:8086', [P + 'API']: 'v1', [P + 'DATABASE']: 'd' });
  assert.equal(config.endpoint, 'http://db:8086');
  assert.deepEqual([config.username, config.password], ['me', 'p@ss']);
  const bad = read({ [P + 'ENDPOINT']: 'ftp://me:sekrit@db', [P + 'API']: 'v1', [P + 'DATABASE']: 'd' });
  assert.equal(bad.config.endpoint, 'http://localhost:8086');
  assert.equal(bad.lines.length, 1);
  assert.doesNotMatch(bad.lines[0], /sekrit/);
  assert.equal(bad.lines[0], 'invalid OTEL_EXPORTER_INFLUXDB_ENDPOINT="ftp://[redacted]@db" (expected an absolute http:// or https:// URL); using http://localhost:8086');
  assert.match(read({ [P + 'ENDPOINT']: 'localhost:8086' }).lines[0], /^invalid OTEL_EXPORTER_INFLUXDB_ENDPOINT="localhost:8086"/);
});

test('code options override env; bad code options throw ConfigError naming the option', () => {
  const { config } = read({ [P + 'API']: 'v1' }, { api: 'v3', database: 'd', token: 't', precision: 's', maxBatchLines: 10, resourceTags: '*' });
  assert.deepEqual([config.api, config.database, config.precision, config.maxBatchLines, config.resourceTags], ['v3', 'd', 's', 10, '*']);
  assert.throws(() => read({}, { api: 'v9' }), (e: Error) => e instanceof ConfigError && /option api/.test(e.message));
  assert.throws(() => read({}, { timeoutMillis: 0 }), /option timeoutMillis/);
  assert.throws(() => read({}, { token: 5 }), /option token/);
  assert.throws(() => read({}, { bukket: 'x' }), /option bukket is unknown/);
  assert.throws(() => read({}, { endpoint: 'nope' }), /option endpoint/);
  assert.throws(() => read({}, { resourceTags: [1] }), /option resourceTags/);
  const missing = read({}, { api: 'v2', org: 'o' });
  assert.match(missing.lines[0], /needs a bucket \(OTEL_EXPORTER_INFLUXDB_BUCKET\)/);
});
