// Issue 16: one pipeline object owns its state. Two pipelines built one after the other (and one
// beside an app that set its own diag logger) share nothing by accident: not the registry view,
// not the health, not the log level, not the rate limiters, not the diag logger.
import assert from 'node:assert/strict';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { ExporterRegistry, exporterNames } from '../../exporters/registry';
import type { ExporterPlugin } from '../../exporters/plugin';
import { getHealth } from '../../instrumentation/health/health';
import { ProducerRegistry, instrumentationNames } from '../../instrumentation/registry';
import { startPipeline, type Pipeline } from '../../src/pipeline/pipeline';
import type { ExporterName } from '../../src/config/exporter-options';

const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');
const registeredDiag = (): unknown => (globalThis as { [API_GLOBALS]?: { diag?: unknown } })[API_GLOBALS]?.diag;

function inMemory(name: string): ExporterPlugin {
  return { name, kind: 'push', create: () => new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE) };
}

function registryWith(name: string): ExporterRegistry {
  const registry = new ExporterRegistry();
  registry.add(inMemory(name));
  return registry;
}

function start(name: string, logLevel: 'none' | 'debug', setGlobal: boolean): Pipeline {
  const pipeline = startPipeline(
    { exporters: [name as ExporterName], instrumentations: [], setGlobal, flushOnExit: false, logLevel, env: {} },
    { exporters: registryWith(name), producers: new ProducerRegistry() },
  );
  assert.ok(pipeline);
  return pipeline;
}

// Our stderr lines while `work` runs.
async function stderrOf(t: { mock: { method: Function } }, work: () => Promise<void> | void): Promise<string[]> {
  const lines: string[] = [];
  const write = (t.mock.method as (o: object, m: string, f: (chunk: unknown) => boolean) => { mock: { restore(): void } })(process.stderr, 'write', (chunk) => { lines.push(String(chunk)); return true; });
  try {
    await work();
  } finally {
    write.mock.restore();
  }
  return lines;
}

describe('two pipelines in one process', () => {
  it('one after the other share no registry, health, log level or limiter, and leave diag as they found it', async (t) => {
    assert.equal(registeredDiag(), undefined, 'no diag logger before the first start');
    const first = start('alpha', 'none', true);
    assert.notEqual(registeredDiag(), undefined, 'ours is added when the app set none');
    first.handle.meterProvider.getMeter('m').createCounter('c').add(1);
    await first.handle.forceFlush();
    assert.deepEqual(getHealth().exporters.map((e) => e.name), ['alpha'], 'getHealth() reads the running pipeline');
    assert.equal(await first.handle.shutdown(), true);
    assert.equal(registeredDiag(), undefined, 'ours is removed at shutdown');
    assert.deepEqual(getHealth().exporters, [], 'after shutdown getHealth() no longer reports its exporters');

    const second = start('beta', 'debug', true);
    try {
      // Registry: each saw only its own; the process registry saw neither.
      assert.equal(first.exporters.get('beta'), undefined);
      assert.equal(second.exporters.get('alpha'), undefined);
      assert.ok(!exporterNames().includes('alpha') && !exporterNames().includes('beta'));
      assert.deepEqual(instrumentationNames(second.producers), instrumentationNames(), 'no producer of a test reached the process registry');
      // Health: its own object and its own exporters.
      assert.notEqual(second.health, first.health);
      second.handle.meterProvider.getMeter('m').createCounter('c').add(1);
      await second.handle.forceFlush();
      assert.deepEqual(getHealth().exporters.map((e) => e.name), ['beta']);
      // Log: each at its own level; the first's `none` did not silence the second.
      assert.equal(first.log.level, DiagLogLevel.NONE);
      assert.equal(second.log.level, DiagLogLevel.DEBUG);
      const said = await stderrOf(t, () => {
        first.log.error('from the first');
        second.log.debug('from the second');
        // Limiters: a key the first used up (interval: the pipeline's life) does not hold back the second's.
        first.once.log('same problem', 'first: same problem');
        second.once.log('same problem', 'second: same problem');
        second.once.log('same problem', 'second: same problem again');
      });
      assert.notEqual(second.once, first.once);
      assert.equal(said.length, 2, said.join(''));
      assert.match(said[0]!, /from the second/);
      assert.match(said[1]!, /second: same problem$/m);
    } finally {
      await second.handle.shutdown();
    }
    assert.equal(registeredDiag(), undefined);
  });

  it("keeps the app's own diag logger: ours is not swapped in over it, nor removed at shutdown", async (t) => {
    const heard: string[] = [];
    const app: DiagLogger = {
      error: (m) => heard.push(`error ${m}`), warn: (m) => heard.push(`warn ${m}`), info: () => {}, debug: () => {}, verbose: () => {},
    };
    diag.setLogger(app, DiagLogLevel.WARN);
    const apps = registeredDiag();
    try {
      const pipeline = start('gamma', 'debug', true);
      assert.equal(registeredDiag(), apps, 'still the app logger');
      diag.warn('upstream line');
      assert.deepEqual(heard, ['warn upstream line'], 'upstream lines go where the app wants them');
      // Our own lines still reach stderr, through the pipeline's log.
      const said = await stderrOf(t, () => pipeline.log.warn('ours'));
      assert.equal(said.length, 1);
      assert.match(said[0]!, /otel-metrics-pipeline: ours/);
      await pipeline.handle.shutdown();
      assert.equal(registeredDiag(), apps, 'not removed at shutdown: it is not ours');
    } finally {
      diag.disable();
    }
  });

  it('a setGlobal: false pipeline touches no global: no slot, no diag, no global health', async () => {
    const pipeline = start('delta', 'debug', false);
    try {
      assert.equal(registeredDiag(), undefined);
      pipeline.handle.meterProvider.getMeter('m').createCounter('c').add(1);
      await pipeline.handle.forceFlush();
      assert.deepEqual(pipeline.health.report().exporters.map((e) => e.name), ['delta'], 'its own health knows its exporter');
      assert.deepEqual(getHealth().exporters, [], 'getHealth() is not its');
    } finally {
      await pipeline.handle.shutdown();
    }
  });
});
