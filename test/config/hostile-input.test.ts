import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EnvReader } from '../../core/env-reader';
import { resolveConfig } from '../../src/config/resolve-config';
import { ConfigError } from '../../core/errors';
import { readOtlpConfig } from '../../exporters/otlp/otlp-config';
import type { OtlpOptions } from '../../exporters/otlp/otlp-options';
import { testCerts } from '../helpers/certs';
import { havePeer } from '../helpers/peers';

function read(env: Record<string, string>, options?: OtlpOptions): { config: ReturnType<typeof readOtlpConfig>; lines: string[] } {
  const lines: string[] = [];
  const config = readOtlpConfig(new EnvReader(env, (l) => lines.push(l)), options);
  return { config, lines };
}

function core(env: Record<string, string>): { config: ReturnType<typeof resolveConfig>; lines: string[] } {
  const lines: string[] = [];
  const config = resolveConfig({ env }, new EnvReader(env, (l) => lines.push(l)));
  return { config, lines };
}

describe('milliseconds', () => {
  for (const bad of ['0x10', '1e3', '10.0', '-5', '+5']) {
    it(`${bad} is refused with one line`, () => {
      const { config, lines } = core({ OTEL_METRIC_EXPORT_INTERVAL: bad });
      assert.equal(config.exportIntervalMillis, 60_000);
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, new RegExp(`OTEL_METRIC_EXPORT_INTERVAL="${bad.replace('+', '\\+')}".*using 60000`));
    });
  }

  it('past 2^31-1 ms (where Node timers fire at once) is capped with one line', () => {
    const { config, lines } = core({ OTEL_METRICS_RETRY_MAX_ELAPSED_TIME: '99999999999' });
    assert.equal(config.delivery.retry!.maxElapsedTimeMillis, 2 ** 31 - 1);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /OTEL_METRICS_RETRY_MAX_ELAPSED_TIME="99999999999".*using 2147483647/);
  });
});

describe('OTEL_METRICS_EXPORTER', () => {
  it('" , ," names no exporter: one line, then the default otlp', () => {
    const { config, lines } = core({ OTEL_METRICS_EXPORTER: ' , ,' });
    assert.deepEqual(config.exporters, ['otlp']);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /invalid OTEL_METRICS_EXPORTER=", ,".*"none".*using otlp/);
  });

  it('"none" still means none, silently', () => {
    const { config, lines } = core({ OTEL_METRICS_EXPORTER: 'none' });
    assert.deepEqual(config.exporters, []);
    assert.deepEqual(lines, []);
  });
});

describe('OTLP endpoint', () => {
  it('the generic endpoint gets /v1/metrics on its path, not inside its query', () => {
    assert.equal(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/base?tenant=a&k=v' }).config.url, 'http://c:4318/base/v1/metrics?tenant=a&k=v');
    assert.equal(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/?k=v' }).config.url, 'http://c:4318/v1/metrics?k=v');
    assert.equal(read({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318/x?k=v' }).config.url, 'http://c:4318/x?k=v');
  });

  it('an invalid endpoint line shows neither password nor query values', () => {
    for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT']) {
      for (const protocol of ['http/protobuf', 'grpc']) {
        const { lines } = read({ [name]: 'http://user:s3cr3t@collector:99999/v1?token=t0ken', OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
        assert.equal(lines.length, 1, lines.join('\n'));
        assert.match(lines[0]!, new RegExp(`invalid ${name}="http://\\[redacted\\]@collector:99999/v1\\?token=\\[redacted\\]"`));
        assert.doesNotMatch(lines[0]!, /s3cr3t|t0ken|user/);
      }
    }
  });

  it('an invalid code endpoint throws ConfigError without its password', () => {
    assert.throws(() => read({}, { endpoint: 'ftp://user:s3cr3t@host/' }), (e: Error) => e instanceof ConfigError && !/s3cr3t/.test(e.message) && /\[redacted\]@host/.test(e.message));
  });
});

describe('OTLP headers HTTP or gRPC would refuse', () => {
  const planted = 'x-ok=fine,bad name=s3cr3t-1,x-crlf=a%0D%0Ab s3cr3t-2,x-latin=%E2%82%AC s3cr3t-3,Authorization: Bearer s3cr3t-4=x';

  it('are each one line naming the variable and entry, never the value, and skipped', () => {
    const { config, lines } = read({ OTEL_EXPORTER_OTLP_HEADERS: planted });
    assert.deepEqual(config.headers, { 'x-ok': 'fine' });
    assert.equal(lines.length, 4, lines.join('\n'));
    for (const [i, entry] of [2, 3, 4, 5].entries()) assert.match(lines[i]!, new RegExp(`^invalid OTEL_EXPORTER_OTLP_HEADERS: entry ${entry} cannot be sent as a header`));
    assert.doesNotMatch(lines.join('\n'), /s3cr3t|Bearer/);
  });

  it('over gRPC also refuse connection-specific, grpc-* and non-ASCII entries', () => {
    const { config, lines } = read({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-ok=fine,connection=close,grpc-timeout=1S,x-latin=%C3%A9t%C3%A9,x-bin-bin=%C3%A9,x-crlf=a%0Ab',
    });
    assert.deepEqual(config.headers, { 'x-ok': 'fine', 'x-bin-bin': '\u00e9' });
    assert.equal(lines.length, 4, lines.join('\n'));
    assert.ok(lines.every((l) => l.startsWith('invalid OTEL_EXPORTER_OTLP_METRICS_HEADERS: entry ') && l.includes('over gRPC')));
  });

  it('from code throw ConfigError naming the option, never the value', () => {
    assert.throws(() => read({}, { headers: { 'x-a': 'a\r\nb-s3cr3t' } }), (e: Error) => e instanceof ConfigError && /otlp\.headers.*"x-a"/.test(e.message) && !/s3cr3t/.test(e.message));
    assert.throws(() => read({}, { headers: { 'Authorization: Bearer s3cr3t': 'x' } }), (e: Error) => e instanceof ConfigError && !/s3cr3t/.test(e.message));
    assert.throws(() => read({}, { protocol: 'grpc', headers: { connection: 'close' } }), ConfigError);
  });
});

describe('TLS files that do not parse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omp-pem-'));
  const garbage = join(dir, 'garbage.pem');
  writeFileSync(garbage, '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n');
  const empty = join(dir, 'empty.pem');
  writeFileSync(empty, 'hello\n');

  it('a garbage CA is one start-up line; the system CAs are used', () => {
    for (const file of [garbage, empty]) {
      const { config, lines } = read({ OTEL_EXPORTER_OTLP_CERTIFICATE: file });
      assert.equal(config.ca, undefined);
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, /^unusable OTEL_EXPORTER_OTLP_CERTIFICATE=".*": .*; using the system trusted CAs$/);
    }
  });

  it('a garbage client key or certificate is one line; no client certificate is sent', (t) => {
    if (!havePeer(t, 'openssl', ['version'])) return;
    const certs = testCerts();
    for (const env of [
      { OTEL_EXPORTER_OTLP_CLIENT_KEY: garbage, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: certs.clientCertFile },
      { OTEL_EXPORTER_OTLP_CLIENT_KEY: certs.clientKeyFile, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: empty },
    ]) {
      const { config, lines } = read(env);
      assert.equal(config.key, undefined);
      assert.equal(config.cert, undefined);
      assert.equal(lines.filter((l) => l.startsWith('unusable OTEL_EXPORTER_OTLP_CLIENT_')).length, 1, lines.join('\n'));
    }
    // Both parse but do not belong together (the CA's certificate with the client key).
    const { config, lines } = read({ OTEL_EXPORTER_OTLP_CLIENT_KEY: certs.clientKeyFile, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: certs.caFile });
    assert.equal(config.key, undefined);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /CLIENT_KEY does not belong to CLIENT_CERTIFICATE/);
  });

  it('an encrypted client key is one line that says so', () => {
    const encrypted = join(dir, 'encrypted.key');
    writeFileSync(encrypted, '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFLTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n');
    const { config, lines } = read({ OTEL_EXPORTER_OTLP_CLIENT_KEY: encrypted, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: garbage });
    assert.equal(config.key, undefined);
    assert.match(lines[0]!, /^unusable OTEL_EXPORTER_OTLP_CLIENT_KEY=".*": the key is encrypted/);
  });

  it('from code throws ConfigError', () => {
    assert.throws(() => read({}, { certificateFile: garbage }), ConfigError);
  });
});
