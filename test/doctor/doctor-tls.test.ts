import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testCerts, type TestCerts } from '../helpers/certs';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { checksOf, runDoctorCli } from './doctor-cli';

// A server certificate from the test CA whose validity ended yesterday (openssl -days -1).
function expiredServerCert(certs: TestCerts): { key: Buffer; cert: Buffer } {
  const run = (args: string[]): void => { execFileSync('openssl', args, { cwd: certs.dir, stdio: 'pipe' }); };
  writeFileSync(join(certs.dir, 'expired.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=expired.localhost']);
  run(['x509', '-req', '-in', 'expired.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'expired.pem', '-days', '-1', '-extfile', 'expired.ext']);
  return { key: readFileSync(join(certs.dir, 'expired.key')), cert: readFileSync(join(certs.dir, 'expired.pem')) };
}

describe('doctor: TLS', () => {
  let certs: TestCerts;
  let server: OtlpReceiver;
  let mtls: OtlpReceiver;
  before(async () => {
    certs = testCerts();
    server = await OtlpReceiver.start({ tls: { key: certs.serverKey, cert: certs.serverCert } });
    mtls = await OtlpReceiver.start({ tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requireClientCert: true } });
  });
  after(async () => {
    await server.close();
    await mtls.close();
  });

  it('an untrusted CA: the certificate is described and the CA does not verify; the export fails permanently', async () => {
    const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: server.httpUrl }, ['--json']);
    assert.equal(run.code, 1);
    const { tls, export: exp } = checksOf(run.report!);
    assert.equal(tls!.status, 'fail');
    assert.equal(tls!.data!.verified, false);
    assert.match(String(tls!.data!.verifyError), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
    assert.match(String(tls!.data!.subject), /CN=localhost/);
    assert.match(String(tls!.data!.issuer), /CN=omp-test-ca/);
    assert.match(tls!.detail, /OTEL_EXPORTER_OTLP_CERTIFICATE/);
    assert.equal(exp!.status, 'fail');
    assert.equal(exp!.data!.retryable, false);
  });

  it('a good CA over HTTP and gRPC: verified, expiry given, exported', async () => {
    for (const env of <Record<string, string>[]>[
      { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: server.httpUrl },
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: server.grpcUrl },
    ]) {
      const run = await runDoctorCli({ ...env, OTEL_EXPORTER_OTLP_CERTIFICATE: certs.caFile }, ['--json']);
      assert.equal(run.code, 0, run.stdout);
      const { tls, protocol, export: exp } = checksOf(run.report!);
      assert.equal(tls!.data!.verified, true);
      assert.equal(typeof tls!.data!.daysLeft, 'number');
      assert.ok(Date.parse(String(tls!.data!.validTo)) > Date.now());
      // The test CA lives two days: close to expiry is a warning, not a failure.
      assert.equal(tls!.status, 'warn');
      assert.match(tls!.detail, /the CA verifies; renew it soon/);
      assert.equal(protocol!.status, 'ok');
      assert.equal(exp!.data!.outcome, 'accepted');
    }
  });

  it('over TLS, HTTP to the gRPC port and gRPC to the HTTP port are named by ALPN', async () => {
    const ca = { OTEL_EXPORTER_OTLP_CERTIFICATE: certs.caFile };
    const toGrpc = await runDoctorCli({ ...ca, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${server.grpcUrl}/v1/metrics` }, ['--json']);
    assert.equal(toGrpc.code, 1);
    const a = checksOf(toGrpc.report!);
    assert.match(a.tls!.detail, /does not offer HTTP\/1\.1 over TLS \(ALPN\): HTTP sent to a gRPC port/);
    assert.match(a.export!.detail, /the failed tls check above is the likelier cause/);
    const toHttp = await runDoctorCli({ ...ca, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: server.httpBase }, ['--json']);
    assert.equal(toHttp.code, 1);
    assert.match(checksOf(toHttp.report!).tls!.detail, /does not offer HTTP\/2 over TLS \(ALPN\), which gRPC needs: gRPC sent to an HTTP port/);
  });

  it('mTLS with the client certificate missing is named; with it, the export is accepted', async () => {
    const base = { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: mtls.httpUrl, OTEL_EXPORTER_OTLP_CERTIFICATE: certs.caFile };
    const run = await runDoctorCli(base, ['--json']);
    assert.equal(run.code, 1);
    const checks = checksOf(run.report!);
    const failing = Object.values(checks).find((c) => c.status === 'fail' && c.name !== 'export')!;
    assert.match(failing.detail, /requires a client certificate \(mTLS\).*OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE/);
    assert.equal(checks.export!.status, 'fail');
    const ok = await runDoctorCli({ ...base, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: certs.clientCertFile, OTEL_EXPORTER_OTLP_CLIENT_KEY: certs.clientKeyFile }, ['--json']);
    assert.equal(ok.code, 0, ok.stdout);
  });

  it('an expired certificate: named with its date, the export fails permanently', async () => {
    const expired = await OtlpReceiver.start({ tls: expiredServerCert(certs) });
    try {
      const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: expired.httpUrl, OTEL_EXPORTER_OTLP_CERTIFICATE: certs.caFile }, ['--json']);
      assert.equal(run.code, 1);
      const { tls, export: exp } = checksOf(run.report!);
      assert.equal(tls!.status, 'fail');
      assert.equal(tls!.data!.verifyError, 'CERT_HAS_EXPIRED');
      assert.ok((tls!.data!.daysLeft as number) < 0);
      assert.match(tls!.detail, /expired \d+ day\(s\) ago.*has expired: the server must renew it/);
      assert.match(String(exp!.data!.type), /CERT_HAS_EXPIRED/);
      assert.equal(exp!.data!.retryable, false);
    } finally {
      await expired.close();
    }
  });

  it('a scheme-less gRPC endpoint uses TLS unless INSECURE: said in the configuration, and named at the plaintext port', async () => {
    const plain = await OtlpReceiver.start();
    try {
      const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: `127.0.0.1:${plain.port}` }, ['--json']);
      assert.equal(run.code, 1);
      const endpoint = run.report!.settings.find((s) => s.name === 'otlp.endpoint')!;
      assert.equal(endpoint.value, `https://127.0.0.1:${plain.port}`);
      assert.match(endpoint.note!, /no scheme given: TLS is used because OTEL_EXPORTER_OTLP_INSECURE is not true/);
      assert.match(checksOf(run.report!).tls!.detail, /does not speak TLS on this port.*OTEL_EXPORTER_OTLP_INSECURE=true/);
      const fixed = await runDoctorCli({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: `127.0.0.1:${plain.port}`, OTEL_EXPORTER_OTLP_INSECURE: 'true' });
      assert.equal(fixed.code, 0, fixed.stdout);
    } finally {
      await plain.close();
    }
  });

  it('https:// to a plaintext port: the handshake failure is named', async () => {
    const plain = await OtlpReceiver.start();
    try {
      const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: plain.httpUrl.replace('http:', 'https:') }, ['--json']);
      assert.equal(run.code, 1);
      assert.match(checksOf(run.report!).tls!.detail, /does not speak TLS on this port/);
    } finally {
      await plain.close();
    }
  });
});
