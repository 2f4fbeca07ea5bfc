import assert from 'node:assert/strict';
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { ConfigError, startMetrics } from '../src/index';
import { fixture, runApp } from './helpers/spawn-app';

/** Runs `fn` and returns what it wrote on stderr. */
async function stderrOf(fn: () => unknown): Promise<string> {
  const original = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => { text += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = original;
  }
  return text;
}

const sumOf = (exporter: InMemoryMetricExporter, name: string): number | undefined => exporter.getMetrics().flatMap((rm) => rm.scopeMetrics)
  .flatMap((sm) => sm.metrics).filter((m) => m.descriptor.name === name).at(-1)?.dataPoints[0]?.value as number | undefined;

describe('startMetrics: bad code options', () => {
  it('an unknown exporter name throws ConfigError naming the option, not an env variable', () => {
    assert.throws(() => startMetrics({ exporters: ['promethus' as 'prometheus'], env: {}, flushOnExit: false }), (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /^exporters: unknown exporter "promethus"; supported: .*prometheus/);
      assert.doesNotMatch(e.message, /OTEL_/);
      return true;
    });
  });

  it('an unknown or pull fallbackExporter throws ConfigError naming the option', () => {
    for (const [fallbackExporter, pattern] of [['promethus', /^fallbackExporter: unknown exporter "promethus"/], ['prometheus', /^fallbackExporter: "prometheus" is a pull exporter/]] as const) {
      assert.throws(() => startMetrics({ exporters: ['console'], fallbackExporter: fallbackExporter as 'prometheus', env: {}, flushOnExit: false, setGlobal: false }), (e: Error) => e instanceof ConfigError && pattern.test(e.message) && !/OTEL_/.test(e.message));
    }
  });

  it('serviceName: 42 throws ConfigError naming serviceName', () => {
    assert.throws(() => startMetrics({ serviceName: 42 as unknown as string, env: {}, flushOnExit: false }), (e: Error) => e instanceof ConfigError && /serviceName must be a string/.test(e.message));
  });
});

describe('startMetrics twice', () => {
  it('while one runs: the running handle and one line; after its shutdown: a new pipeline takes the global', async () => {
    const first = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const h1 = startMetrics({ exporters: [first], flushOnExit: false, env: {} });
    let h2: unknown;
    const said = await stderrOf(() => { h2 = startMetrics({ exporters: ['console'], flushOnExit: false, env: {} }); });
    assert.equal(h2, h1);
    assert.equal(said.trim().split('\n').length, 1, said);
    assert.match(said, /already running.*returning its handle/);
    metrics.getMeter('m').createCounter('one').add(1);
    await h1.shutdown();
    assert.equal(sumOf(first, 'one'), 1);

    const second = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    let h3!: ReturnType<typeof startMetrics>;
    const again = await stderrOf(() => { h3 = startMetrics({ exporters: [second], flushOnExit: false, env: {} }); });
    assert.notEqual(h3, h1);
    assert.equal(again, '');
    // The global API now reaches the new pipeline, not the dead one.
    metrics.getMeter('m').createCounter('two').add(2);
    await h3.forceFlush();
    assert.equal(sumOf(second, 'two'), 2);
    assert.equal(sumOf(first, 'two'), undefined);
    await h3.shutdown();
  });

  it('under the preload: the app\'s own call gets the running pipeline, one line, no stack trace', async () => {
    const result = await runApp(fixture('start-again-app.js'), { OTEL_METRICS_EXPORTER: 'console' });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /already running/);
    assert.doesNotMatch(result.stderr, /duplicate registration|\n\s+at /);
    // One pipeline: the value is printed by the preload's console exporter, once per export.
    assert.match(result.stdout, /again\.calls 1/);
  });
});
