import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { points } from '../helpers/otlp-decode';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp } from '../helpers/spawn-app';

describe('worker_threads under the preload', () => {
  it("the main thread's last export holds every thread's points once, a thrower's included", async () => {
    const receiver = await OtlpReceiver.start();
    try {
      const result = await runApp(fixture('threads-app.js'), {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_METRICS_INSTRUMENTATIONS: 'none',
      });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /threads done/);
      // Cumulative: the last export carries the totals.
      const last = receiver.exports.at(-1)!;
      const work = points(last.request).filter((p) => p.metric === 'thread.work');
      const by = Object.fromEntries(work.map((p) => [String(p.attributes.from), p.value]));
      assert.deepEqual(by, { main: 1, thread: 1000, thrower: 7 });
      const latency = points(last.request).find((p) => p.metric === 'thread.latency');
      assert.equal(latency?.count, 4);
      // An observable counter in a thread: its cumulative observation (5 per thread) reaches the main stream once.
      assert.equal(points(last.request).find((p) => p.metric === 'thread.observed')?.value, 20);
      // One process, one resource: the threads' points joined the main thread's streams.
      assert.equal(new Set(receiver.points().map((p) => p.resource['process.pid'])).size, 1);
    } finally {
      await receiver.close();
    }
  });

  it('OTEL_METRICS_THREADS=off leaves threads on the no-op provider', async () => {
    const receiver = await OtlpReceiver.start();
    try {
      const result = await runApp(fixture('threads-app.js'), {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_METRICS_INSTRUMENTATIONS: 'none', OTEL_METRICS_THREADS: 'off',
      });
      assert.equal(result.code, 0, result.stderr);
      const work = receiver.points().filter((p) => p.metric === 'thread.work');
      assert.deepEqual([...new Set(work.map((p) => p.attributes.from))], ['main']);
    } finally {
      await receiver.close();
    }
  });
});
