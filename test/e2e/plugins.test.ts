import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, runApp } from '../helpers/spawn-app';

describe('exporter plug-ins under the preload', () => {
  it('a third-party plug-in declaring delta temporality receives delta points and reads its own variable', async () => {
    const result = await runApp(fixture('plugin-app.js'), {
      OTEL_METRICS_EXPORTER: 'tally',
      OTEL_METRIC_EXPORT_INTERVAL: '150',
      OTEL_EXPORTER_TALLY_LABEL: 'T',
      TICK_MS: '50',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const lines = result.stdout.trim().split('\n').filter((l) => l.startsWith('T '));
    assert.ok(lines.length >= 3, result.stdout);
    for (const line of lines) assert.match(line, /^T delta \d+$/);
    // Delta points add up to what was recorded, exactly once each.
    const sum = lines.reduce((n, l) => n + Number(l.split(' ')[2]), 0);
    assert.equal(sum, 12);
  });

  it('a bad value of the plug-in\'s own variable is one line naming it; the exporter still works', async () => {
    const result = await runApp(fixture('plugin-app.js'), {
      OTEL_METRICS_EXPORTER: 'tally',
      OTEL_METRIC_EXPORT_INTERVAL: '150',
      OTEL_EXPORTER_TALLY_EVERY: 'often',
    });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /invalid OTEL_EXPORTER_TALLY_EVERY="often" \(expected a whole number > 0\); using 1/);
    assert.match(result.stdout, /^tally delta \d+$/m);
  });
});
