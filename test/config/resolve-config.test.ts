import assert from 'node:assert/strict';
import { DiagLogLevel } from '@opentelemetry/api';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EnvReader } from '../../core/env-reader';
import { resolveConfig } from '../../src/config/resolve-config';
import type { MetricsOptions } from '../../src/metrics-options';
import { exporterOptionsOf } from '../../src/config/normalise-options';
import { ConfigError } from '../../core/errors';
import { readOtlpConfig } from '../../exporters/otlp/otlp-config';
import type { OtlpOptions } from '../../exporters/otlp/otlp-options';
import { readPrometheusConfig } from '../../exporters/prometheus/prometheus-config';

/** The core settings plus what the otlp and prometheus exporters read, as the pipeline reads them at start. */
function resolveAll(options: MetricsOptions, onWarn: (line: string) => void) {
  const env = new EnvReader(options.env ?? {}, onWarn);
  const core = resolveConfig(options, env);
  const otlp = readOtlpConfig(env, exporterOptionsOf(options).otlp as OtlpOptions);
  return {
    ...core,
    ...core.delivery,
    otlp,
    temporalityPreference: otlp.temporalityPreference,
    histogramAggregation: otlp.histogramAggregation,
    prometheus: readPrometheusConfig(env, options.prometheus),
  };
}

function resolve(env: Record<string, string>, options: MetricsOptions = {}): { config: ReturnType<typeof resolveAll>; warnings: string[] } {
  const warnings: string[] = [];
  const config = resolveAll({ ...options, env }, (line) => warnings.push(line));
  return { config, warnings };
}

/** Asserts exactly one warning that names the variable, the bad value and the fallback. */
function assertOneWarning(warnings: string[], variable: string, value: string, using: string): void {
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.ok(warnings[0]!.includes(variable), warnings[0]);
  assert.ok(warnings[0]!.includes(JSON.stringify(value)), warnings[0]);
  assert.ok(warnings[0]!.endsWith(`using ${using}`), warnings[0]);
}

// The prometheus config holds more than the endpoint now (auth, TLS, naming); these tests are about where it listens.
const hostPort = (c: { host: string; port: number }) => ({ host: c.host, port: c.port });

describe('defaults', () => {
  it('follow the spec', () => {
    const { config, warnings } = resolve({});
    assert.deepEqual(warnings, []);
    assert.equal(config.disabled, false);
    assert.equal(config.logLevel, DiagLogLevel.INFO);
    assert.deepEqual(config.exporters, ['otlp']);
    assert.equal(config.exportIntervalMillis, 60000);
    assert.equal(config.exportTimeoutMillis, 30000);
    assert.equal(config.otlp.protocol, 'http/protobuf');
    assert.equal(config.otlp.url, 'http://localhost:4318/v1/metrics');
    assert.equal(config.otlp.timeoutMillis, 10000);
    assert.equal(config.otlp.compression, 'none');
    assert.deepEqual(config.otlp.headers, {});
    assert.equal(config.temporalityPreference, 'cumulative');
    assert.equal(config.histogramAggregation, 'explicit_bucket_histogram');
    assert.deepEqual(hostPort(config.prometheus), { host: 'localhost', port: 9464 });
  });

  it('gRPC defaults to port 4317 with no path', () => {
    assert.equal(resolve({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).config.otlp.url, 'http://localhost:4317');
  });
});

describe('OTEL_SDK_DISABLED', () => {
  for (const [value, disabled] of [['true', true], ['TRUE', true], [' True ', true], ['false', false], ['', false]] as const) {
    it(`${JSON.stringify(value)} → ${disabled}`, () => {
      const { config, warnings } = resolve({ OTEL_SDK_DISABLED: value });
      assert.equal(config.disabled, disabled);
      assert.deepEqual(warnings, []);
    });
  }
  it('anything else is false, with a warning', () => {
    const { config, warnings } = resolve({ OTEL_SDK_DISABLED: 'yes' });
    assert.equal(config.disabled, false);
    assertOneWarning(warnings, 'OTEL_SDK_DISABLED', 'yes', 'false');
  });
  it('the code option wins', () => {
    assert.equal(resolve({ OTEL_SDK_DISABLED: 'true' }, { disabled: false }).config.disabled, false);
  });
});

describe('OTEL_LOG_LEVEL', () => {
  it('is case-insensitive', () => {
    assert.equal(resolve({ OTEL_LOG_LEVEL: 'DEBUG' }).config.logLevel, DiagLogLevel.DEBUG);
    assert.equal(resolve({ OTEL_LOG_LEVEL: 'none' }).config.logLevel, DiagLogLevel.NONE);
  });
  it('bad value warns and uses info', () => {
    const { config, warnings } = resolve({ OTEL_LOG_LEVEL: 'loud' });
    assert.equal(config.logLevel, DiagLogLevel.INFO);
    assertOneWarning(warnings, 'OTEL_LOG_LEVEL', 'loud', 'info');
  });
});

describe('resource', () => {
  it('OTEL_SERVICE_NAME beats service.name in OTEL_RESOURCE_ATTRIBUTES', () => {
    const { config } = resolve({ OTEL_SERVICE_NAME: 'checkout', OTEL_RESOURCE_ATTRIBUTES: 'service.name=other,k=v%2Cw' });
    assert.deepEqual(config.resourceAttributes, { 'service.name': 'checkout', k: 'v,w' });
  });
  it('a malformed OTEL_RESOURCE_ATTRIBUTES is discarded whole, as the spec says', () => {
    const { config, warnings } = resolve({ OTEL_RESOURCE_ATTRIBUTES: 'a=1,broken,b=%zz' });
    assert.deepEqual(config.resourceAttributes, {});
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /OTEL_RESOURCE_ATTRIBUTES.*entry 2 has no "=".*entry 3 is not valid percent-encoding.*using no attributes from it/);
    // Values can hold tokens: the line names entries by position only.
    assert.ok(!warnings[0]!.includes('a=1') && !warnings[0]!.includes('%zz'), warnings[0]);
  });
  it('code attributes and serviceName override env', () => {
    const { config } = resolve({ OTEL_SERVICE_NAME: 'env', OTEL_RESOURCE_ATTRIBUTES: 'a=env' }, { serviceName: 'code', resourceAttributes: { a: 'code' } });
    assert.deepEqual(config.resourceAttributes, { a: 'code', 'service.name': 'code' });
  });
});

describe('OTEL_METRICS_EXPORTER', () => {
  it('is a trimmed, case-insensitive comma list without duplicates', () => {
    assert.deepEqual(resolve({ OTEL_METRICS_EXPORTER: ' OTLP , prometheus,console,otlp ,' }).config.exporters, ['otlp', 'prometheus', 'console']);
  });
  it('none means no exporter', () => {
    assert.deepEqual(resolve({ OTEL_METRICS_EXPORTER: 'none' }).config.exporters, []);
  });
  it('code exporters override env', () => {
    assert.deepEqual(resolve({ OTEL_METRICS_EXPORTER: 'prometheus' }, { exporters: ['console'] }).config.exporters, ['console']);
  });
});

describe('millisecond values', () => {
  it('past 2^31-1 are capped with one line, so no timer overflows into a 1 ms loop', () => {
    const { config, warnings } = resolve({ OTEL_METRICS_RETRY_MAX_INTERVAL: '3000000000' });
    assert.equal(config.retry!.maxIntervalMillis, 2 ** 31 - 1);
    assertOneWarning(warnings, 'OTEL_METRICS_RETRY_MAX_INTERVAL', '3000000000', String(2 ** 31 - 1));
  });
  for (const bad of ['0x10', '1e3', '10s', '-5', '1.5']) {
    it(`${JSON.stringify(bad)} is refused with one line`, () => {
      const { config, warnings } = resolve({ OTEL_METRIC_EXPORT_INTERVAL: bad });
      assert.equal(config.exportIntervalMillis, 60000);
      assertOneWarning(warnings, 'OTEL_METRIC_EXPORT_INTERVAL', bad, '60000');
    });
  }
  it('the exit budget is read from OTEL_METRICS_SHUTDOWN_TIMEOUT, default 3000, 0 allowed', () => {
    assert.equal(resolve({}).config.shutdownTimeoutMillis, 3000);
    assert.equal(resolve({ OTEL_METRICS_SHUTDOWN_TIMEOUT: '0' }).config.shutdownTimeoutMillis, 0);
    assert.throws(() => resolve({}, { shutdownTimeoutMillis: 2 ** 31 }), ConfigError);
  });
});

describe('interval and timeout', () => {
  it('are read in ms', () => {
    const { config } = resolve({ OTEL_METRIC_EXPORT_INTERVAL: '5000', OTEL_METRIC_EXPORT_TIMEOUT: '2000' });
    assert.equal(config.exportIntervalMillis, 5000);
    assert.equal(config.exportTimeoutMillis, 2000);
  });
  for (const bad of ['abc', '-5', '0', '1.5', '10s']) {
    it(`OTEL_METRIC_EXPORT_INTERVAL=${bad} warns and uses 60000`, () => {
      const { config, warnings } = resolve({ OTEL_METRIC_EXPORT_INTERVAL: bad });
      assert.equal(config.exportIntervalMillis, 60000);
      assertOneWarning(warnings, 'OTEL_METRIC_EXPORT_INTERVAL', bad, '60000');
    });
  }
  it('a short interval silently shortens the default timeout', () => {
    const { config, warnings } = resolve({ OTEL_METRIC_EXPORT_INTERVAL: '1000' });
    assert.equal(config.exportTimeoutMillis, 1000);
    assert.deepEqual(warnings, []);
  });
  it('an explicit timeout longer than the interval warns', () => {
    const { config, warnings } = resolve({ OTEL_METRIC_EXPORT_INTERVAL: '1000', OTEL_METRIC_EXPORT_TIMEOUT: '5000' });
    assert.equal(config.exportTimeoutMillis, 1000);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /OTEL_METRIC_EXPORT_TIMEOUT=5000 .*using 1000/);
  });
  it('bad code options throw ConfigError', () => {
    assert.throws(() => resolve({}, { exportIntervalMillis: 0 }), ConfigError);
    assert.throws(() => resolve({}, { exportTimeoutMillis: -1 }), (e: ConfigError) => e.code === 'ERR_OTEL_METRICS_CONFIG');
  });
});

describe('OTLP', () => {
  it('the signal-specific variable beats the generic one', () => {
    const { config } = resolve({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000', OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '2000',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'none', OTEL_EXPORTER_OTLP_METRICS_COMPRESSION: 'gzip',
    });
    assert.equal(config.otlp.protocol, 'http/json');
    assert.equal(config.otlp.timeoutMillis, 2000);
    assert.equal(config.otlp.compression, 'gzip');
  });
  it('the generic endpoint gets /v1/metrics appended, the specific one is used as given', () => {
    assert.equal(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).config.otlp.url, 'http://c:4318/v1/metrics');
    assert.equal(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/base/' }).config.otlp.url, 'http://c:4318/base/v1/metrics');
    assert.equal(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://d/custom' }).config.otlp.url, 'https://d/custom');
  });
  it('gRPC endpoints keep only scheme, host and port; INSECURE picks the scheme when there is none', () => {
    assert.equal(resolve({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' }).config.otlp.url, 'https://collector:4317');
    assert.equal(resolve({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317', OTEL_EXPORTER_OTLP_INSECURE: 'true' }).config.otlp.url, 'http://collector:4317');
    assert.equal(resolve({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4317/' }).config.otlp.url, 'http://c:4317');
  });
  it('headers merge key by key, are percent-decoded, and the specific ones win', () => {
    const { config, warnings } = resolve({
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20abc,x-a=1',
      // A Latin-1 value (HTTP refuses anything beyond Latin-1, see hostile-input.test.ts).
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-a=2, x-b = %C3%A9 ',
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.otlp.headers, { authorization: 'Basic abc', 'x-a': '2', 'x-b': 'é' });
  });
  it('a bad header entry is skipped, the rest kept, and no value is printed', () => {
    const { config, warnings } = resolve({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=t0ps3cret,justatoken,k=%E0%A4%A' });
    assert.deepEqual(config.otlp.headers, { 'api-key': 't0ps3cret' });
    assert.equal(warnings.length, 2);
    for (const w of warnings) {
      assert.match(w, /OTEL_EXPORTER_OTLP_HEADERS/);
      assert.doesNotMatch(w, /t0ps3cret|justatoken|%E0/);
    }
  });
  it('code headers override env per key', () => {
    assert.deepEqual(resolve({ OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=2' }, { otlp: { headers: { B: '3' } } }).config.otlp.headers, { a: '1', b: '3' });
  });
  it('bad values warn once each and fall back', () => {
    const cases: Array<[string, string, string]> = [
      ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http', 'http/protobuf'],
      ['OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', 'soon', '10000'],
      ['OTEL_EXPORTER_OTLP_COMPRESSION', 'zstd', 'none'],
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'not a url', 'http://localhost:4318/v1/metrics'],
      ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'ftp://x', 'http://localhost:4318/v1/metrics'],
      ['OTEL_EXPORTER_OTLP_INSECURE', 'yes', 'false'],
      ['OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', 'sometimes', 'cumulative'],
      ['OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION', 'exponential', 'explicit_bucket_histogram'],
      ['OTEL_EXPORTER_PROMETHEUS_PORT', '99999', '9464'],
    ];
    for (const [name, value, using] of cases) {
      assertOneWarning(resolve({ [name]: value }).warnings, name, value, using);
    }
  });
  it('temporality and histogram aggregation are case-insensitive', () => {
    const { config } = resolve({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'LowMemory', OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'BASE2_EXPONENTIAL_BUCKET_HISTOGRAM' });
    assert.equal(config.temporalityPreference, 'lowmemory');
    assert.equal(config.histogramAggregation, 'base2_exponential_bucket_histogram');
  });
  it('an unreadable certificate file warns and uses the system CAs', () => {
    const { config, warnings } = resolve({ OTEL_EXPORTER_OTLP_CERTIFICATE: '/nonexistent/ca.pem' });
    assert.equal(config.otlp.ca, undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /OTEL_EXPORTER_OTLP_CERTIFICATE="\/nonexistent\/ca.pem" \(ENOENT\); using the system trusted CAs/);
  });
  it('a client key without its certificate warns and sends no client certificate', () => {
    // A real key (files that do not parse are their own line, see hostile-input.test.ts).
    const key = join(mkdtempSync(join(tmpdir(), 'omp-key-')), 'client.key');
    writeFileSync(key, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const { config, warnings } = resolve({ OTEL_EXPORTER_OTLP_CLIENT_KEY: key });
    assert.equal(config.otlp.key, undefined);
    assert.equal(config.otlp.cert, undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /CLIENT_KEY and CLIENT_CERTIFICATE must be set together.*using no client certificate/);
  });
  it('bad code options throw ConfigError', () => {
    assert.throws(() => resolve({}, { otlp: { protocol: 'udp' as never } }), ConfigError);
    assert.throws(() => resolve({}, { otlp: { endpoint: 'nope' } }), ConfigError);
    assert.throws(() => resolve({}, { otlp: { certificateFile: '/nonexistent' } }), ConfigError);
    assert.throws(() => resolve({}, { prometheus: { port: 0 } }), ConfigError);
  });
});

describe('Prometheus', () => {
  it('host and port come from env, code wins', () => {
    assert.deepEqual(hostPort(resolve({ OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0', OTEL_EXPORTER_PROMETHEUS_PORT: '9100' }).config.prometheus), { host: '0.0.0.0', port: 9100 });
    assert.deepEqual(hostPort(resolve({ OTEL_EXPORTER_PROMETHEUS_PORT: '9100' }, { prometheus: { port: 9200 } }).config.prometheus), { host: 'localhost', port: 9200 });
  });
});

describe('delivery settings', () => {
  it('default to the Collector exporter helper values, queue on, no spool, no fallback', () => {
    const { config, warnings } = resolve({});
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.retry, { initialIntervalMillis: 1000, maxIntervalMillis: 30000, maxElapsedTimeMillis: 300000 });
    assert.deepEqual(config.queue, { maxBatches: 100, maxBytes: 16777216, directory: undefined });
    assert.equal(config.fallbackExporter, undefined);
    assert.equal(config.fallbackFailureThreshold, 3);
    assert.equal(config.fallbackProbeIntervalMillis, 30000);
    assert.equal(config.selfObservability, true);
  });
  it('are read from env', () => {
    const { config } = resolve({
      OTEL_METRICS_RETRY_INITIAL_INTERVAL: '200', OTEL_METRICS_RETRY_MAX_INTERVAL: '5000', OTEL_METRICS_RETRY_MAX_ELAPSED_TIME: '0',
      OTEL_METRICS_QUEUE_SIZE: '7', OTEL_METRICS_QUEUE_MAX_BYTES: '1048576', OTEL_METRICS_QUEUE_DIR: '/var/spool/app',
      OTEL_METRICS_FALLBACK_EXPORTER: 'Console', OTEL_METRICS_FALLBACK_FAILURE_THRESHOLD: '5', OTEL_METRICS_FALLBACK_PROBE_INTERVAL: '1000',
      OTEL_METRICS_SELF_OBSERVABILITY_DISABLED: 'true',
    });
    assert.deepEqual(config.retry, { initialIntervalMillis: 200, maxIntervalMillis: 5000, maxElapsedTimeMillis: 0 });
    assert.deepEqual(config.queue, { maxBatches: 7, maxBytes: 1048576, directory: '/var/spool/app' });
    assert.equal(config.fallbackExporter, 'console');
    assert.equal(config.fallbackFailureThreshold, 5);
    assert.equal(config.fallbackProbeIntervalMillis, 1000);
    assert.equal(config.selfObservability, false);
  });
  it('bad values warn once each and fall back', () => {
    const cases: Array<[string, string, string]> = [
      ['OTEL_METRICS_RETRY_INITIAL_INTERVAL', '1s', '1000'],
      ['OTEL_METRICS_RETRY_MAX_INTERVAL', '-1', '30000'],
      ['OTEL_METRICS_RETRY_MAX_ELAPSED_TIME', 'forever', '300000'],
      ['OTEL_METRICS_QUEUE_SIZE', '0', '100'],
      ['OTEL_METRICS_QUEUE_MAX_BYTES', '16MB', '16777216'],
      ['OTEL_METRICS_FALLBACK_FAILURE_THRESHOLD', 'three', '3'],
      ['OTEL_METRICS_FALLBACK_PROBE_INTERVAL', '0', '30000'],
      ['OTEL_METRICS_SELF_OBSERVABILITY_DISABLED', 'yes', 'false'],
    ];
    for (const [name, value, using] of cases) assertOneWarning(resolve({ [name]: value }).warnings, name, value, using);
  });
  it('code options override env, and false turns retry or the queue off', () => {
    const { config } = resolve({ OTEL_METRICS_QUEUE_SIZE: '7' }, { retry: false, queue: { maxBatches: 9 } });
    assert.equal(config.retry, undefined);
    assert.equal(config.queue!.maxBatches, 9);
    assert.equal(resolve({}, { queue: false }).config.queue, undefined);
    assert.throws(() => resolve({}, { queue: { maxBytes: 0 } }), ConfigError);
    assert.throws(() => resolve({}, { retry: { maxIntervalMillis: -5 } }), ConfigError);
  });
});
