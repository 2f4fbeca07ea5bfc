import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../helpers/free-port';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp, startApp } from '../helpers/spawn-app';

describe('OTEL_METRICS_FALLBACK_EXPORTER values that give no fallback', () => {
  let receiver: OtlpReceiver;
  before(async () => { receiver = await OtlpReceiver.start(); });
  after(() => receiver.close());

  it('none: no fallback and not a word (no "unknown exporter none")', async () => {
    const result = await runApp(fixture('short-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, OTEL_METRICS_FALLBACK_EXPORTER: 'none' });
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
  });

  it('the primary itself: one line, the primary runs without a fallback', async () => {
    const result = await runApp(fixture('short-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, OTEL_METRICS_FALLBACK_EXPORTER: 'otlp' });
    assert.equal(result.code, 0);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /OTEL_METRICS_FALLBACK_EXPORTER=otlp is the exporter it would stand in for/);
  });

  it('a pull exporter (prometheus, alongside the real one): one line, no second server, scrapes work', async () => {
    const port = await freePort();
    const app = startApp(fixture('long-app.js'), {
      OTEL_METRICS_EXPORTER: 'otlp,prometheus',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      OTEL_METRICS_FALLBACK_EXPORTER: 'prometheus',
    });
    try {
      await app.waitForOutput(/ready/);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /app_requests_total\{.*\} 7/);
    } finally {
      app.child.kill('SIGTERM');
    }
    const result = await app.exited;
    // The SIGTERM line shows only when an export is still in flight at the signal, which a busy
    // machine decides; it is not about the fallback.
    const lines = result.stderr.trim().split('\n').filter((l) => !/SIGTERM: sending the last metrics/.test(l));
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /OTEL_METRICS_FALLBACK_EXPORTER=prometheus is a pull exporter.*running without a fallback/);
    assert.doesNotMatch(result.stderr, /EADDRINUSE/);
  });
});
