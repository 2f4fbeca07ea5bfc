import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, runApp } from '../helpers/spawn-app';
import { OtlpReceiver, type Reply } from '../helpers/otlp-receiver';

/** The short app's exit export against a receiver answering `reply`, at `OTEL_LOG_LEVEL=level`. */
async function linesAt(level: string, reply: (n: number) => Reply | undefined) {
  const receiver = await OtlpReceiver.start({ reply });
  try {
    const result = await runApp(fixture('short-app.js'), { OTEL_LOG_LEVEL: level, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.httpUrl });
    return result.stderr;
  } finally {
    await receiver.close();
  }
}

describe('log levels mean what they say', () => {
  it('data lost for good (401, not retryable) is an error line: shown at OTEL_LOG_LEVEL=error', async () => {
    const stderr = await linesAt('error', () => ({ httpStatus: 401 }));
    assert.match(stderr, /otlp: dropped \d+ data point\(s\) for http:\/\/127\.0\.0\.1:\d+\/v1\/metrics: HTTP 401 \(not retryable\)/);
    assert.doesNotMatch(stderr, /cannot deliver/, 'the warning before it is a warning');
  });

  it('a transient failure that is retried and delivered is a warning, and recovery info: nothing at error', async () => {
    const stderr = await linesAt('error', (n) => (n === 0 ? { httpStatus: 503, retryAfter: '0' } : undefined));
    assert.equal(stderr, '');
  });

  it('the same transient failure at the default level: the warning, then the recovery line', async () => {
    const stderr = await linesAt('info', (n) => (n === 0 ? { httpStatus: 503, retryAfter: '0' } : undefined));
    assert.match(stderr, /cannot deliver to .*: HTTP 503; the process is exiting/);
    assert.match(stderr, /delivering again after/);
    assert.doesNotMatch(stderr, /dropped/);
  });
});
