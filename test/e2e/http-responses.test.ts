import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { assertKnownValues } from '../helpers/known-values';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp } from '../helpers/spawn-app';

/** A real HTTP server that reads each request and answers 200 with `body`. */
async function answering(body: Buffer | string, contentType: string): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': contentType }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`,
    requests: () => requests,
    close: () => { server.closeAllConnections(); return new Promise((r) => server.close(() => r())); },
  };
}

describe('redirects', () => {
  let second: OtlpReceiver;
  before(async () => { second = await OtlpReceiver.start(); });
  after(() => second.close());

  for (const status of [307, 308]) {
    it(`${status} is followed once, with the same method and body, to a second receiver`, async () => {
      const first = await OtlpReceiver.start({ reply: () => ({ httpStatus: status, location: second.httpUrl }) });
      try {
        const before = second.exports.length;
        const result = await runApp(fixture('short-app.js'), { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: first.httpUrl });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stderr, '');
        assert.equal(first.arrivals.length, 1);
        assert.equal(second.exports.length, before + 1);
        assertKnownValues(second.pointsSince(before));
      } finally {
        await first.close();
      }
    });
  }

  it('a redirect to another origin does not carry the configured headers (they hold credentials)', async () => {
    const first = await OtlpReceiver.start({ reply: () => ({ httpStatus: 307, location: second.httpUrl }) });
    try {
      const before = second.exports.length;
      const result = await runApp(fixture('short-app.js'), {
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: first.httpUrl,
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cr3t,x-api-key=k3y',
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(second.exports.length, before + 1);
      const headers = second.exports.at(-1)!.headers;
      assert.equal(headers.authorization, undefined);
      assert.equal(headers['x-api-key'], undefined);
    } finally {
      await first.close();
    }
  });

  for (const status of [301, 302, 303]) {
    it(`${status} is permanent: not followed, not retried, a line that says the endpoint moved`, async () => {
      const first = await OtlpReceiver.start({ reply: () => ({ httpStatus: status, location: second.httpUrl }) });
      try {
        const before = second.arrivals.length;
        const result = await runApp(fixture('short-app.js'), { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: first.httpUrl });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(first.arrivals.length, 1);
        assert.equal(second.arrivals.length, before);
        // Whole lines only (no continuation), and the one that says why.
        const lines = result.stderr.trim().split('\n');
        assert.ok(lines.every((l) => l.startsWith('otel-metrics-pipeline: ')), result.stderr);
        assert.match(lines.find((l) => l.includes('cannot deliver')) ?? result.stderr, new RegExp(`cannot deliver to .*HTTP ${status}: the endpoint moved; fix the configured URL`));
      } finally {
        await first.close();
      }
    });
  }
});

describe('2xx answers are successes whatever their body', () => {
  it('a 5 MiB 200 answer: nothing dropped, nothing sent to the fallback', async () => {
    const server = await answering(Buffer.alloc(5 * 1024 * 1024, 1), 'application/x-protobuf');
    try {
      const result = await runApp(fixture('short-app.js'), { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: server.url, OTEL_METRICS_FALLBACK_EXPORTER: 'otlp/stdout' });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(server.requests(), 1);
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, '');
    } finally {
      await server.close();
    }
  });

  it('http/json with a non-JSON 200 body: every export a success, no line per export', async () => {
    const server = await answering('<html>ok</html>', 'text/html');
    try {
      const result = await runApp(fixture('quiet-for-a-while-app.js'), {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: server.url,
        OTEL_METRIC_EXPORT_INTERVAL: '100',
        OTEL_METRICS_FALLBACK_EXPORTER: 'otlp/stdout',
        APP_LIFE_MS: '1500',
      });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(server.requests() >= 3, `only ${server.requests()} exports`);
      assert.ok(result.stderr.split('\n').filter(Boolean).length <= 1, result.stderr);
      assert.equal(result.stdout, '');
    } finally {
      await server.close();
    }
  });
});
