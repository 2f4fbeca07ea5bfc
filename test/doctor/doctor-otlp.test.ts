import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../helpers/free-port';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { checksOf, runDoctorCli } from './doctor-cli';

const METRIC = 'otel_metrics_pipeline.doctor.check';

describe('doctor: OTLP destinations against the real receiver', () => {
  let receiver: OtlpReceiver;
  before(async () => { receiver = await OtlpReceiver.start(); });
  after(async () => { await receiver.close(); });

  it('healthy OTLP/HTTP: every step ok, the test metric arrives, exit 0', async () => {
    const before = receiver.exports.length;
    const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl }, ['--json']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const checks = checksOf(run.report!);
    assert.deepEqual(Object.keys(checks), ['dns', 'tcp', 'protocol', 'export']);
    for (const c of Object.values(checks)) assert.equal(c.status, 'ok', c.detail);
    assert.equal(checks.protocol!.data!.spoken, 'http1');
    assert.equal(checks.export!.data!.outcome, 'accepted');
    const arrived = receiver.pointsSince(before).filter((p) => p.metric === METRIC);
    assert.equal(arrived.length, 1);
    assert.equal(arrived[0]!.value, 1);
  });

  it('healthy OTLP/gRPC: HTTP/2 recognised, the test metric arrives over gRPC, exit 0', async () => {
    const before = receiver.exports.length;
    const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /ok\s+protocol\s+speaks HTTP\/2, as gRPC needs/);
    assert.match(run.stdout, new RegExp(`ok\\s+export\\s+${METRIC.replace(/\./g, '\\.')} accepted`));
    assert.equal(receiver.exports.slice(before).filter((e) => e.transport === 'grpc').length, 1);
    assert.match(run.stdout, /Result: metrics will arrive \(exit 0\)/);
  });

  it('a refused port: tcp fails with ECONNREFUSED, the export is classified retryable, exit 1', async () => {
    const port = await freePort();
    const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }, ['--json']);
    assert.equal(run.code, 1);
    const checks = checksOf(run.report!);
    assert.equal(checks.tcp!.status, 'fail');
    assert.match(checks.tcp!.detail, /ECONNREFUSED.*nothing listens/);
    assert.equal(checks.export!.data!.type, 'ECONNREFUSED');
    assert.equal(checks.export!.data!.retryable, true);
  });

  it('HTTP sent to the gRPC port is recognised and named', async () => {
    const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}` }, ['--json']);
    assert.equal(run.code, 1);
    const checks = checksOf(run.report!);
    assert.equal(checks.tcp!.status, 'ok');
    assert.equal(checks.protocol!.status, 'fail');
    assert.equal(checks.protocol!.data!.spoken, 'h2');
    assert.match(checks.protocol!.detail, /HTTP sent to a gRPC port.*OTEL_EXPORTER_OTLP_PROTOCOL=grpc/);
    assert.equal(checks.export!.status, 'fail');
  });

  it('gRPC sent to the HTTP port is recognised and named', async () => {
    const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.httpPort}` }, ['--json']);
    assert.equal(run.code, 1);
    const checks = checksOf(run.report!);
    assert.equal(checks.protocol!.data!.spoken, 'http1');
    assert.match(checks.protocol!.detail, /gRPC sent to an HTTP port: the server answers HTTP\/1\.1 \(HTTP\/1\.1 400/);
    assert.equal(checks.export!.status, 'fail');
  });

  it('--no-send checks the connection and sends nothing', async () => {
    const before = receiver.exports.length;
    const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl }, ['--json', '--no-send']);
    assert.equal(run.code, 0);
    assert.equal(run.report!.sent, false);
    assert.equal(checksOf(run.report!).export!.status, 'skip');
    assert.equal(receiver.exports.length, before, 'only the protocol probe (a GET) reached it');
  });
});

describe('doctor: answers classified as the pipeline would', () => {
  it('a required header missing: HTTP 401 named as an authentication failure, permanent', async () => {
    const receiver = await OtlpReceiver.start({ requiredHeaders: { 'x-api-key': 'right' } });
    try {
      const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl }, ['--json']);
      assert.equal(run.code, 1);
      const e = checksOf(run.report!).export!;
      assert.equal(e.data!.outcome, 'auth_failure');
      assert.equal(e.data!.httpStatus, 401);
      assert.equal(e.data!.retryable, false);
      assert.match(e.detail, /HTTP 401: authentication failed.*OTEL_EXPORTER_OTLP_HEADERS.*drop it without retrying/);
      const ok = await runDoctorCli({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl, OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=right' });
      assert.equal(ok.code, 0, ok.stdout);
    } finally {
      await receiver.close();
    }
  });

  it('gRPC UNAUTHENTICATED and partial success', async () => {
    const receiver = await OtlpReceiver.start({ requiredHeaders: { 'x-api-key': 'right' } });
    const partial = await OtlpReceiver.start({ reply: () => ({ partialSuccess: { rejectedDataPoints: 1, errorMessage: 'too old' } }) });
    try {
      const run = await runDoctorCli({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl }, ['--json']);
      const e = checksOf(run.report!).export!;
      assert.equal(e.data!.grpcStatus, 16);
      assert.equal(e.data!.outcome, 'auth_failure');
      assert.match(e.detail, /gRPC UNAUTHENTICATED \(16\): authentication failed/);
      const p = await runDoctorCli({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: partial.httpUrl }, ['--json']);
      const pe = checksOf(p.report!).export!;
      assert.equal(pe.status, 'warn');
      assert.equal(pe.data!.outcome, 'partial_success');
      assert.equal(pe.data!.rejectedPoints, 1);
      assert.match(pe.detail, /partial success.*1 data point\(s\) rejected \(.*too old/);
      assert.equal(p.code, 0);
    } finally {
      await receiver.close();
      await partial.close();
    }
  });
});
