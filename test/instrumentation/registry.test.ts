import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { EnvReader } from '../../core/env-reader';
import { createProducers, instrumentationNames, resolveInstrumentations } from '../../instrumentation/registry';

const resolve = (value: string | undefined, list?: string[]) => {
  const lines: string[] = [];
  const names = resolveInstrumentations(new EnvReader(value === undefined ? {} : { OTEL_METRICS_INSTRUMENTATIONS: value }, (l) => lines.push(l)), list);
  return { names, lines };
};

describe('instrumentation registry', () => {
  it('defaults to process,runtime,http; all and none; code list wins', () => {
    assert.deepEqual(resolve(undefined).names, ['process', 'runtime', 'http']);
    assert.deepEqual(resolve('all').names, instrumentationNames());
    assert.deepEqual(resolve('none').names, []);
    assert.deepEqual(resolve(' System , HTTP ').names, ['system', 'http']);
    assert.deepEqual(resolve('system', ['runtime']).names, ['runtime']);
  });

  it('unknown names give exactly one line naming them and the known ones', () => {
    const { names, lines } = resolve('process,gpu,disks');
    assert.deepEqual(names, ['process']);
    assert.deepEqual(lines, ['unknown OTEL_METRICS_INSTRUMENTATIONS names "gpu", "disks" ignored; known: system, process, runtime, http, all, none']);
  });

  it('loads a producer file only when that producer is created', () => {
    const loaded = () => Object.keys(require.cache).filter((k) => /instrumentation[/\\](?:http[/\\])?(system|http|runtime)-producer\.js$/.test(k));
    const before = loaded();
    const producers = createProducers(['http']);
    assert.deepEqual(producers.map((p) => p.name), ['http']);
    const added = loaded().filter((k) => !before.includes(k));
    assert.ok(added.every((k) => k.endsWith('http-producer.js')), `only the http producer loaded: ${added}`);
  });
});
