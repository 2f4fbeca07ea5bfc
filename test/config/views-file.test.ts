import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MeterProvider, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { EnvReader } from '../../core/env-reader';
import { resolveConfig } from '../../src/config/resolve-config';
import { TestReader } from '../helpers/metric-collect';

function withFile(content: string, body: (path: string) => Promise<void> | void) {
  const dir = mkdtempSync(join(tmpdir(), 'omp-views-'));
  const path = join(dir, 'views.json');
  writeFileSync(path, content);
  return Promise.resolve(body(path)).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const read = (env: Record<string, string>) => {
  const lines: string[] = [];
  const config = resolveConfig({}, new EnvReader(env, (l) => lines.push(l)));
  return { views: config.views, lines };
};

describe('OTEL_METRICS_VIEWS_FILE', () => {
  it('sets boundaries, keeps listed attributes and renames; the views reach the SDK and apply', () => withFile(JSON.stringify({
    views: [
      { instrument: 'import.duration', boundaries: [0.005, 0.01, 0.025, 0.05, 0.1] },
      { instrument: 'import.rows', attributes: ['table'], rename: 'import.rows.done' },
      { instrument: 'debug.*', drop: true },
    ],
  }), async (path) => {
    const { views, lines } = read({ OTEL_METRICS_VIEWS_FILE: path });
    assert.deepEqual(lines, []);
    assert.equal(views.length, 3);
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader], views });
    const meter = provider.getMeter('job');
    meter.createHistogram('import.duration', { unit: 's' }).record(0.011);
    meter.createCounter('import.rows').add(5, { table: 'orders', batch: '17' });
    meter.createCounter('debug.noise').add(1);
    const { resourceMetrics } = await reader.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const h = metrics.find((m) => m.descriptor.name === 'import.duration') as HistogramMetricData;
    assert.deepEqual(h.dataPoints[0]!.value.buckets.boundaries, [0.005, 0.01, 0.025, 0.05, 0.1]);
    assert.deepEqual(h.dataPoints[0]!.value.buckets.counts, [0, 0, 1, 0, 0, 0], '0.011 s lands in (0.01, 0.025]');
    const rows = metrics.find((m) => m.descriptor.name === 'import.rows.done');
    assert.ok(rows, 'renamed');
    assert.deepEqual(rows.dataPoints[0]!.attributes, { table: 'orders' }, 'only the listed attribute is kept');
    assert.equal(metrics.find((m) => m.descriptor.name === 'debug.noise'), undefined, 'dropped');
    await provider.shutdown();
  }));

  it('code views come first, the file adds to them', () => withFile('[{"instrument":"a","boundaries":[1,2]}]', (path) => {
    const lines: string[] = [];
    const config = resolveConfig({ views: [{ instrumentName: 'b' }] }, new EnvReader({ OTEL_METRICS_VIEWS_FILE: path }, (l) => lines.push(l)));
    assert.deepEqual(config.views.map((v) => v.instrumentName), ['b', 'a']);
  }));

  it('one line per bad entry, naming it; the good entries still apply', () => withFile(JSON.stringify({
    views: [
      { instrument: 'ok.histogram', boundaries: [1, 10] },
      { instrument: 'x', boundaries: [5, 1] },
      { instrument: 'y', bucket: [1] },
      { instrument: 'app.*', rename: 'z' },
      'not an object',
      { boundaries: [1] },
      { instrument: 'w', drop: true, exponential: true },
    ],
  }), (path) => {
    const { views, lines } = read({ OTEL_METRICS_VIEWS_FILE: path });
    assert.equal(views.length, 1);
    const V = 'invalid OTEL_METRICS_VIEWS_FILE entry';
    assert.deepEqual(lines, [
      `${V} 2 (instrument "x"): "boundaries" must be a non-empty list of increasing finite numbers; skipping that entry`,
      `${V} 3 (instrument "y"): unknown key(s) "bucket" (known: instrument, meter, boundaries, exponential, attributes, rename, description, drop); skipping that entry`,
      `${V} 4 (instrument "app.*"): "rename" needs an exact "instrument" name, not a wildcard; skipping that entry`,
      `${V} 5: an entry must be an object; skipping that entry`,
      `${V} 6: "instrument" must be a non-empty instrument name (wildcards * and ? allowed); skipping that entry`,
      `${V} 7 (instrument "w"): "exponential" and "drop" cannot be combined: each sets the aggregation; skipping that entry`,
    ]);
  }));

  it('a missing or malformed file is one line and no views', async () => {
    const missing = read({ OTEL_METRICS_VIEWS_FILE: '/nonexistent/views.json' });
    assert.deepEqual(missing.lines, ['OTEL_METRICS_VIEWS_FILE="/nonexistent/views.json" cannot be read (ENOENT); using no views from it']);
    await withFile('{"views": [', (path) => {
      const bad = read({ OTEL_METRICS_VIEWS_FILE: path });
      assert.equal(bad.lines.length, 1);
      assert.match(bad.lines[0]!, /is not valid JSON \(.+\); using no views from it$/);
      assert.deepEqual(bad.views, []);
    });
  });
});
