import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, runApp } from '../helpers/spawn-app';

describe('the bundled preload and the main entry', () => {
  it('share ConfigError and ExportError, and the exporter and producer registries', async () => {
    const result = await runApp(fixture('bundle-identity-app.js'), {
      OTEL_METRICS_EXPORTER: 'probe',
      OTEL_METRICS_INSTRUMENTATIONS: 'probe-producer',
      OTEL_METRIC_EXPORT_INTERVAL: '100',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^bundle true$/m);
    assert.match(result.stdout, /^config-error-shared true$/m);
    assert.match(result.stdout, /^export-error-shared true$/m);
    // Registered through the main entry after the preload started; bound on the next tick.
    assert.match(result.stdout, /^probe-producer started$/m);
    assert.match(result.stdout, /^probe export true$/m);
  });
});
