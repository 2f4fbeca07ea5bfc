// Issue 19, the small ones: values at or past a limit get one clear line and never a crash or a silent loss.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../helpers/free-port';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { childEnv, fixture, REGISTER, runApp } from '../helpers/spawn-app';

describe('start-up limits', () => {
  let receiver: OtlpReceiver;
  before(async () => { receiver = await OtlpReceiver.start(); });
  after(async () => { await receiver.close(); });

  it('OTEL_METRICS_SHUTDOWN_TIMEOUT=2147483647 (Node\'s timer limit) is a budget, not a 1 ms overflow', async () => {
    const before = receiver.exports.length;
    const result = await runApp(fixture('short-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, OTEL_METRICS_SHUTDOWN_TIMEOUT: '2147483647' });
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /TimeoutOverflowWarning|data is lost/);
    assert.ok(receiver.exports.length > before, 'the exit flush arrived');
  });

  it('a header value over 8 KiB is one line naming the header, never its value; the other headers are sent', async () => {
    const big = 'v'.repeat(64 * 1024);
    const before = receiver.exports.length;
    const result = await runApp(fixture('short-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, OTEL_EXPORTER_OTLP_HEADERS: `x-big=${big},x-ok=fine` });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.split('\n').filter((l) => l.includes('x-big'));
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /OTEL_EXPORTER_OTLP_HEADERS.*"x-big" is 65536 bytes, over the 8192-byte limit/);
    assert.doesNotMatch(result.stderr, /vvvv/);
    const sent = receiver.exports.slice(before);
    assert.ok(sent.length > 0 && sent.every((e) => e.headers['x-ok'] === 'fine' && e.headers['x-big'] === undefined));
  });

  it('under ulimit -n 24 with every feature on, the app runs to its end (a failed machine-id read costs host.id only)', async () => {
    const env = childEnv({
      OTEL_LOG_LEVEL: 'debug',
      OTEL_METRICS_EXPORTER: 'otlp,prometheus',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
      OTEL_METRICS_HEALTH_PORT: String(await freePort()),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
    });
    for (const limit of [24, 28, 32]) {
      const child = spawn('sh', ['-c', `ulimit -n ${limit} && exec "${process.execPath}" --require "${REGISTER}" "${fixture('short-app.js')}"`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => { err += d; });
      const code = await new Promise((r) => child.on('close', r));
      assert.equal(code, 0, `ulimit -n ${limit}: ${err.slice(-2000)}`);
      assert.doesNotMatch(err, /Unhandled|uncaught/i);
    }
  });
});
