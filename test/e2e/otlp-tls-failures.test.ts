import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOtlpGrpcTransport } from '../../exporters/otlp/otlp-grpc-transport';
import { testCerts, type TestCerts } from '../helpers/certs';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { havePeer } from '../helpers/peers';
import { fixture, runApp } from '../helpers/spawn-app';

// Each case is its own app reading only its own output: the cases run side by side.
describe('TLS failures are permanent and one line, over HTTP and gRPC', { concurrency: true }, () => {
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

  for (const protocol of ['http/protobuf', 'grpc'] as const) {
    it(`a server that fails verification: one line, not retried (${protocol})`, async (t) => {
      if (!havePeer(t, 'openssl', ['version'])) return;
      // Alive for a few exports: the first failure is classified while the app runs, not at exit.
      const result = await runApp(fixture('quiet-for-a-while-app.js'), {
        APP_LIFE_MS: '2500',
        OTEL_METRIC_EXPORT_INTERVAL: '200',
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? tls.grpcUrl : tls.httpBase,
      });
      assert.equal(result.code, 0);
      // Whole lines only (no continuation), and the one that says why.
      const lines = result.stderr.trim().split('\n');
      assert.ok(lines.every((l) => l.startsWith('otel-metrics-pipeline: ')), result.stderr);
      assert.match(lines.find((l) => l.includes('cannot deliver')) ?? result.stderr, /cannot deliver to .*TLS: certificate not trusted.*; not retryable; the batch is dropped$/);
    });

    it(`mTLS without a client certificate: one line that says a client certificate is required, not retried (${protocol})`, async (t) => {
      if (!havePeer(t, 'openssl', ['version'])) return;
      // Alive for a few exports: the first failure is classified while the app runs, not at exit.
      const result = await runApp(fixture('quiet-for-a-while-app.js'), {
        APP_LIFE_MS: '2500',
        OTEL_METRIC_EXPORT_INTERVAL: '200',
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? mtls.grpcUrl : mtls.httpBase,
        OTEL_EXPORTER_OTLP_CERTIFICATE: certs.caFile,
      });
      assert.equal(result.code, 0);
      // Whole lines only (no continuation), and the one that says why.
      const lines = result.stderr.trim().split('\n');
      assert.ok(lines.every((l) => l.startsWith('otel-metrics-pipeline: ')), result.stderr);
      assert.match(lines.find((l) => l.includes('cannot deliver')) ?? result.stderr, /cannot deliver to .*TLS: the server requires a client certificate.*; not retryable; the batch is dropped$/);
    });
  }
});

describe('gRPC transport: what fails before sending is permanent', () => {
  let receiver: OtlpReceiver;
  before(async () => { receiver = await OtlpReceiver.start(); });
  after(() => receiver.close());

  const send = async (options: Partial<Parameters<typeof createOtlpGrpcTransport>[0]>) => {
    const transport = createOtlpGrpcTransport({ url: receiver.grpcUrl.replace('http:', options.key ? 'https:' : 'http:'), headers: {}, compression: 'none', ...options });
    try {
      return await transport.send(new Uint8Array(0), { signal: AbortSignal.timeout(2000), deadline: Date.now() + 2000 });
    } finally {
      transport.shutdown();
    }
  };

  it('a client key OpenSSL refuses', async () => {
    const response = await send({ key: Buffer.from('-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n'), cert: Buffer.from('garbage') });
    assert.ok(!response.ok && !response.error.retryable, 'permanent');
  });

  it('a header name HTTP/2 refuses', async () => {
    const response = await send({ headers: { 'bad name': 'x' } });
    assert.ok(!response.ok && !response.error.retryable, 'permanent');
  });

  it('a connection-specific header HTTP/2 forbids', async () => {
    const response = await send({ headers: { connection: 'close' } });
    assert.ok(!response.ok && !response.error.retryable, 'permanent');
  });
});
