// Split from outage-recovery.test.ts: these tests bound how soon a line appears, so they run in the
// timing group (npm test runs *.timing.test.js files apart, two at a time), not beside the busy ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testCerts } from '../helpers/certs';
import { freePort } from '../helpers/free-port';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, startApp } from '../helpers/spawn-app';

describe('the first failure is said within one interval, with its cause', () => {
  const INTERVAL = 500;
  async function firstLine(env: Record<string, string>, pattern: RegExp): Promise<number> {
    const app = startApp(fixture('outage-app.js'), { OTEL_METRIC_EXPORT_INTERVAL: String(INTERVAL), APP_MS: '2500', ...env });
    try {
      await app.waitForOutput(/ready/);
      const ready = Date.now();
      const at = await app.waitForError(pattern, 5000);
      return at - ready;
    } finally {
      app.child.kill('SIGKILL');
    }
  }

  it('connection refused', async () => {
    const port = await freePort();
    const after = await firstLine({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }, new RegExp(`otlp: cannot deliver to http://127\\.0\\.0\\.1:${port}/v1/metrics: connection refused; retrying`));
    assert.ok(after <= 2 * INTERVAL + 500, `said after ${after} ms`);
  });

  it('DNS lookup failed', async () => {
    const after = await firstLine({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.invalid:4318' }, /otlp: cannot deliver to http:\/\/collector\.invalid:4318\/v1\/metrics: DNS lookup failed/);
    assert.ok(after <= 2 * INTERVAL + 1500, `said after ${after} ms`);
  });

  for (const protocol of ['http/protobuf', 'grpc'] as const) {
    it(`TLS: a certificate the client does not trust is permanent (${protocol})`, async () => {
      const certs = testCerts();
      const receiver = await OtlpReceiver.start({ tls: { key: certs.serverKey, cert: certs.serverCert } });
      try {
        const endpoint = protocol === 'grpc' ? receiver.grpcUrl : receiver.httpBase;
        const after = await firstLine({ OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, /otlp: cannot deliver to https:\/\/127\.0\.0\.1:\d+(\/v1\/metrics)?: TLS: [^;]+; not retryable/);
        assert.ok(after <= 2 * INTERVAL + 500, `said after ${after} ms`);
      } finally {
        await receiver.close();
      }
    });
  }

  it('HTTP 503 and gRPC UNAVAILABLE name the status', async () => {
    const receiver = await OtlpReceiver.start({ reply: (_n, transport) => (transport === 'http' ? { httpStatus: 503 } : { grpcCode: 14 }) });
    try {
      await firstLine({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase }, /otlp: cannot deliver to http:\/\/127\.0\.0\.1:\d+\/v1\/metrics: HTTP 503; retrying/);
      await firstLine({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl }, /otlp: cannot deliver to http:\/\/127\.0\.0\.1:\d+: gRPC UNAVAILABLE; retrying/);
    } finally {
      await receiver.close();
    }
  });

  it('recovery is one line, within max(interval, 2 s) of the collector\'s return', async () => {
    const httpPort = await freePort();
    const app = startApp(fixture('outage-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${httpPort}`, OTEL_METRIC_EXPORT_INTERVAL: String(INTERVAL), APP_MS: '10000' });
    let receiver: OtlpReceiver | undefined;
    try {
      await app.waitForError(/cannot deliver/, 5000);
      await sleep(3000);
      receiver = await OtlpReceiver.start({ httpPort });
      const back = Date.now();
      const at = await app.waitForError(/otlp: delivering again after [\d.]+s of failures; \d+ data point\(s\) kept meanwhile were sent/, 5000);
      assert.ok(at - back <= Math.max(INTERVAL, 2000) + 500, `recovered ${at - back} ms after the collector came back`);
    } finally {
      app.child.kill('SIGKILL');
      await receiver?.close();
    }
  });
});
