import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testCerts, type TestCerts } from '../helpers/certs';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { havePeer } from '../helpers/peers';
import { fixture, runApp } from '../helpers/spawn-app';
import { assertKnownValues } from '../helpers/known-values';

const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
const endpointFor = (r: OtlpReceiver, protocol: string) => (protocol === 'grpc' ? r.grpcUrl : r.httpBase);

describe('OTLP headers and gzip', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await OtlpReceiver.start({ requiredHeaders: { authorization: 'Bearer s3cr3t=', 'x-tenant': 'a b' } });
  });
  after(() => receiver.close());

  for (const protocol of PROTOCOLS) {
    it(`sends percent-decoded, merged headers with gzip over ${protocol}`, async () => {
      const before = receiver.exports.length;
      const result = await runApp(fixture('short-app.js'), {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpointFor(receiver, protocol),
        // Generic and specific merge key by key; the specific value wins for x-tenant.
        OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20s3cr3t%3D,x-tenant=wrong',
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-tenant=a%20b',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(receiver.rejected, []);
      const got = receiver.exports.slice(before);
      assert.equal(got.length, 1);
      if (protocol !== 'grpc') assert.equal(got[0]!.compressed, true);
      assertKnownValues(receiver.pointsSince(before));
    });
  }

  it('is refused without the headers, and never prints their values', async () => {
    const result = await runApp(fixture('short-app.js'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20wrong-token,broken-entry-token',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
    });
    assert.equal(result.code, 0);
    assert.match(receiver.rejected.at(-1)!, /missing header/);
    assert.match(result.stderr, /invalid OTEL_EXPORTER_OTLP_HEADERS: entry 2 has no "="/);
    assert.doesNotMatch(result.stderr, /wrong-token|broken-entry-token/);
  });
});

describe('OTLP over TLS and mTLS', () => {
  let certs: TestCerts;
  let tls: OtlpReceiver;
  let mtls: OtlpReceiver;
  before(async (t) => {
    if (!havePeer(t as never, 'openssl', ['version'])) return;
    certs = testCerts();
    tls = await OtlpReceiver.start({ tls: { key: certs.serverKey, cert: certs.serverCert } });
    mtls = await OtlpReceiver.start({ tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requireClientCert: true } });
  });
  after(async () => { await tls?.close(); await mtls?.close(); });

  for (const protocol of PROTOCOLS) {
    it(`verifies the server against OTEL_EXPORTER_OTLP_CERTIFICATE over ${protocol}`, async (t) => {
      if (!havePeer(t, 'openssl', ['version'])) return;
      const before = tls.exports.length;
      const result = await runApp(fixture('short-app.js'), {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpointFor(tls, protocol),
        OTEL_EXPORTER_OTLP_CERTIFICATE: certs.caFile,
      });
      assert.equal(result.code, 0, result.stderr);
      assertKnownValues(tls.pointsSince(before));
    });

    it(`presents the client certificate for mTLS over ${protocol}`, async (t) => {
      if (!havePeer(t, 'openssl', ['version'])) return;
      const before = mtls.exports.length;
      const result = await runApp(fixture('short-app.js'), {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: protocol === 'grpc' ? mtls.grpcUrl : mtls.httpUrl,
        OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE: certs.caFile,
        OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY: certs.clientKeyFile,
        OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE: certs.clientCertFile,
      });
      assert.equal(result.code, 0, result.stderr);
      assertKnownValues(mtls.pointsSince(before));
    });
  }

  it('refuses a server it cannot verify: TLS verification is on by default', async (t) => {
    if (!havePeer(t, 'openssl', ['version'])) return;
    const before = tls.exports.length;
    const result = await runApp(fixture('short-app.js'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: tls.httpBase,
      OTEL_EXPORTER_OTLP_TIMEOUT: '1500',
    });
    assert.equal(result.code, 0);
    assert.equal(tls.exports.length, before);
    assert.match(result.stderr, /otlp: dropped \d+ data point\(s\) for https:\/\/127\.0\.0\.1:\d+\/v1\/metrics: .*certificate.*\(not retryable\)/);
  });

  it('is refused by the mTLS server without a client certificate', async (t) => {
    if (!havePeer(t, 'openssl', ['version'])) return;
    const before = mtls.exports.length;
    const result = await runApp(fixture('short-app.js'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: mtls.httpBase,
      OTEL_EXPORTER_OTLP_CERTIFICATE: certs.caFile,
      OTEL_EXPORTER_OTLP_TIMEOUT: '1500',
    });
    assert.equal(result.code, 0);
    assert.equal(mtls.exports.length, before);
  });
});
