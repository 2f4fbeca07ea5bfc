// Split from plugins.test.ts: it bounds how long the app takes to exit, so it runs in the timing
// group (npm test runs *.timing.test.js files apart, two at a time), not beside the busy suites.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, runApp } from '../helpers/spawn-app';

describe('exporter plug-ins under the preload: a silent export', () => {
  it('an export that never calls back is timed out and retried, and the app still exits on time', async () => {
    const result = await runApp(fixture('silent-exporter-app.js'), {
      OTEL_METRICS_EXPORTER: 'silent-once',
      OTEL_METRIC_EXPORT_INTERVAL: '200',
      OTEL_METRIC_EXPORT_TIMEOUT: '200',
      OTEL_METRICS_RETRY_INITIAL_INTERVAL: '50',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /ATTEMPT 1 never answers/);
    assert.match(result.stdout, /ATTEMPT 2 delivered 5/);
    assert.ok(result.elapsedMs < 4000, `took ${result.elapsedMs} ms`);
  });
});
