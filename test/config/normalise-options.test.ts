import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../core/errors';
import { checkOptionKeys, exporterOptionsOf } from '../../src/config/normalise-options';
import type { MetricsOptions } from '../../src/metrics-options';

const throwsAt = (options: unknown, path: RegExp) => assert.throws(() => checkOptionKeys(options as MetricsOptions), (e: Error) => e instanceof ConfigError && path.test(e.message));

describe('code options: unknown keys and names throw ConfigError with their path', () => {
  it('at every level', () => {
    throwsAt({ exporterOptions: { influxdbb: {} } }, /^exporterOptions\.influxdbb: unknown name/);
    throwsAt({ instrumentationOptions: { http: { bodySize: false } } }, /^instrumentationOptions\.http\.bodySize: unknown option \(did you mean bodySizes\?\)/);
    throwsAt({ instrumentationOptions: { sytem: {} } }, /^instrumentationOptions\.sytem: unknown name/);
    throwsAt({ exporterOptions: { prometheus: { tls: { certfile: 'x' } } } }, /^exporterOptions\.prometheus\.tls\.certfile: unknown option \(did you mean certFile\?\)/);
    throwsAt({ retry: { maxAttempts: 3 } }, /^retry\.maxAttempts: unknown option/);
    throwsAt({ exportInterval: 1000 }, /^exportInterval: unknown option/);
    throwsAt({ otlp: { endpont: 'http://x' } }, /^otlp\.endpont: unknown option/);
  });
  it('maps of the user\'s own keys are values, not keys', () => {
    checkOptionKeys({ resourceAttributes: { anything: 'x' }, exporterOptions: { otlp: { headers: { 'x-any': 'v' } }, 'prometheus/pushgateway': { grouping: { instance: 'a' } }, prometheus: { basicAuthUsers: { u: 'p' } } }, retry: false, queue: false });
  });
});

describe('the otlp and prometheus fields are aliases of exporterOptions.otlp / .prometheus', () => {
  it('fold in, with the top-level selectors as defaults under otlp and otlp/stdout', () => {
    const out = exporterOptionsOf({ otlp: { endpoint: 'http://a', temporalityPreference: 'delta' }, prometheus: { port: 1 }, histogramAggregation: 'base2_exponential_bucket_histogram' });
    assert.deepEqual(out.otlp, { histogramAggregation: 'base2_exponential_bucket_histogram', endpoint: 'http://a', temporalityPreference: 'delta' });
    assert.deepEqual(out['otlp/stdout'], { histogramAggregation: 'base2_exponential_bucket_histogram', temporalityPreference: 'delta' });
    assert.deepEqual(out.prometheus, { port: 1 });
  });
  it('giving both spellings is a ConfigError', () => {
    assert.throws(() => exporterOptionsOf({ otlp: {}, exporterOptions: { otlp: {} } }), (e: Error) => e instanceof ConfigError && /otlp and exporterOptions\.otlp/.test(e.message));
    assert.throws(() => exporterOptionsOf({ prometheus: {}, exporterOptions: { prometheus: {} } }), ConfigError);
  });
});
