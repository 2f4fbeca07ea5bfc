import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact } from '../../core/redact';

describe('redact', () => {
  it('masks URL userinfo and query values, parseable or not', () => {
    assert.equal(redact.url('https://user:pw@host:4318/v1/metrics?token=abc&x=1#frag'), 'https://[redacted]@host:4318/v1/metrics?token=[redacted]&x=[redacted]#frag');
    assert.equal(redact.url('http://user:pw@host:99999/p'), 'http://[redacted]@host:99999/p');
    assert.equal(redact.url('user:pw@collector:4317'), '[redacted]@collector:4317');
    assert.equal(redact.url('http://p@ss@host/'), 'http://[redacted]@host/');
    assert.equal(redact.url('http://host:4318/v1/metrics'), 'http://host:4318/v1/metrics');
  });

  it('scrubs known secret values, for output that echoes what others said', () => {
    const secrets = redact.secretsIn({ OTEL_EXPORTER_OTLP_HEADERS: 'x-key=abcd1234', OTEL_EXPORTER_INFLUX_PASSWORD: 'hunter22', PATH: '/bin' });
    assert.equal(redact.scrub('server said: bad key abcd1234 for hunter22', secrets), 'server said: bad key [redacted] for [redacted]');
    assert.equal(redact.isSecretVariable('OTEL_EXPORTER_INFLUX_TOKEN'), true);
    assert.equal(redact.isSecretVariable('OTEL_EXPORTER_OTLP_ENDPOINT'), false);
  });

  it('masks key=value list values and header values', () => {
    assert.equal(redact.keyValueList('service.name=a,token=s3cr3t,broken'), 'service.name=[redacted],token=[redacted],[redacted]');
    assert.equal(redact.headers({ authorization: 'Bearer x', 'x-tenant': 'y' }), 'authorization=[redacted], x-tenant=[redacted]');
  });

  it('masks URLs, credentials and secret assignments in free text, and leaves the rest', () => {
    assert.equal(redact.text('connect to http://u:p@h:1/x?k=v failed'), 'connect to http://[redacted]@h:1/x?k=[redacted] failed');
    assert.equal(redact.text('sent Authorization: Bearer abcdef123456'), 'sent Authorization: [redacted]');
    assert.equal(redact.text('password=hunter2, api_key="k", X-Auth-Token: t1'), 'password=[redacted], api_key=[redacted], X-Auth-Token: [redacted]');
    assert.equal(redact.text('invalid OTEL_EXPORTER_INFLUX_TOKEN="abc"'), 'invalid OTEL_EXPORTER_INFLUX_TOKEN=[redacted]');
    const plain = 'invalid OTEL_METRIC_EXPORT_INTERVAL="10s" (expected a whole number); gRPC UNAUTHENTICATED: missing header';
    assert.equal(redact.text(plain), plain);
  });
});
