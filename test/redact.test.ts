import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact } from '../src/redact';

describe('redact', () => {
  it('masks URL userinfo and query values, parseable or not', () => {
    assert.equal(redact.url('https://user:pw@host:4318/v1/metrics?token=abc&x=1#frag'), 'https://***@host:4318/v1/metrics?token=***&x=***#frag');
    assert.equal(redact.url('http://user:pw@host:99999/p'), 'http://***@host:99999/p');
    assert.equal(redact.url('user:pw@collector:4317'), '***@collector:4317');
    assert.equal(redact.url('http://p@ss@host/'), 'http://***@host/');
    assert.equal(redact.url('http://host:4318/v1/metrics'), 'http://host:4318/v1/metrics');
  });

  it('masks key=value list values and header values', () => {
    assert.equal(redact.keyValueList('service.name=a,token=s3cr3t,broken'), 'service.name=***,token=***,***');
    assert.equal(redact.headers({ authorization: 'Bearer x', 'x-tenant': 'y' }), 'authorization=***, x-tenant=***');
  });

  it('masks URLs, credentials and secret assignments in free text, and leaves the rest', () => {
    assert.equal(redact.text('connect to http://u:p@h:1/x?k=v failed'), 'connect to http://***@h:1/x?k=*** failed');
    assert.equal(redact.text('sent Authorization: Bearer abcdef123456'), 'sent Authorization: ***');
    assert.equal(redact.text('password=hunter2, api_key="k", X-Auth-Token: t1'), 'password=***, api_key=***, X-Auth-Token: ***');
    assert.equal(redact.text('invalid OTEL_EXPORTER_INFLUX_TOKEN="abc"'), 'invalid OTEL_EXPORTER_INFLUX_TOKEN=***');
    const plain = 'invalid OTEL_METRIC_EXPORT_INTERVAL="10s" (expected a whole number); gRPC UNAUTHENTICATED: missing header';
    assert.equal(redact.text(plain), plain);
  });
});
