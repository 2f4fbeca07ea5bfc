import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EnvReader } from '../../core/env-reader';
import { VARIABLES } from '../../src/config/variables';
import { readEnvNames } from './env-names';

// docs/configuration.md and the README's top table are generated from src/config/variables.ts;
// this keeps the three in step and the table in step with what the sources read.
const root = join(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator = require(join(root, 'scripts', 'config-reference.js')) as {
  expected(variables: typeof VARIABLES): { file: string; actual: string; wanted: string }[];
};
const SOURCES = ['core', 'exporters', 'instrumentation', 'src'];
const methods = new Set(Object.getOwnPropertyNames(EnvReader.prototype));
const documented = new Set(VARIABLES.flatMap((v) => [v.name, ...(v.also ?? [])]));

describe('configuration reference', () => {
  const read = readEnvNames(root, SOURCES, methods, new Set([join('src', 'config', 'variables.ts')]));

  it('every variable the sources read is in src/config/variables.ts', () => {
    assert.deepEqual(read.filter((r) => !documented.has(r.name)).map((r) => `${r.name} (${r.file})`), []);
  });

  it('every variable in the table is read somewhere in the sources', () => {
    const names = new Set(read.map((r) => r.name));
    assert.deepEqual([...documented].filter((n) => !names.has(n)), []);
  });

  it('the table has no name twice and 15 README entries', () => {
    const all = VARIABLES.flatMap((v) => [v.name, ...(v.also ?? [])]);
    assert.equal(new Set(all).size, all.length);
    assert.equal(VARIABLES.filter((v) => v.top).length, 15);
  });

  it('docs/configuration.md and the README table are what scripts/config-reference.js writes', () => {
    for (const f of generator.expected(VARIABLES)) {
      assert.ok(f.actual === f.wanted, `${f.file} differs from src/config/variables.ts: run npm run docs:config`);
    }
  });

  it('the scanner finds whole, composed and property names (the checker itself)', () => {
    // Its own sources hold every form it looks for; the composed ones must come out whole.
    const names = new Set(read.map((r) => r.name));
    for (const n of ['OTEL_SDK_DISABLED', 'OTEL_EXPORTER_INFLUXDB_TOKEN', 'OTEL_EXPORTER_PROMETHEUS_HOST', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'pm_id']) {
      assert.ok(names.has(n), n);
    }
    for (const n of ['ERR_OTEL_METRICS_CONFIG', 'OTEL_EXPORTER_OTLP_', 'string', 'warn']) assert.ok(!names.has(n), n);
  });
});
