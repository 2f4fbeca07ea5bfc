import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnvReader } from '../../core/env-reader';
import { readClusterConfig } from '../../src/config/cluster-options';
import { ConfigError } from '../../core/errors';

function read(env: Record<string, string>, options = {}): { config: ReturnType<typeof readClusterConfig>; lines: string[] } {
  const lines: string[] = [];
  return { config: readClusterConfig(new EnvReader(env, (l) => lines.push(l)), options), lines };
}

describe('cluster and thread settings', () => {
  it('defaults: aggregate, 1000 ms, gauges labelled, system once, threads on', () => {
    assert.deepEqual(read({}).config, { aggregate: true, scrapeTimeoutMillis: 1000, gaugeAggregation: { '*': 'label' }, systemOnce: true, threads: true });
  });

  it('reads the env, gauge methods per instrument name', () => {
    const { config, lines } = read({ OTEL_METRICS_CLUSTER: 'off', OTEL_METRICS_THREADS: 'off', OTEL_METRICS_CLUSTER_SCRAPE_TIMEOUT: '250', OTEL_METRICS_CLUSTER_GAUGE_AGGREGATION: 'max,queue.depth=sum', OTEL_METRICS_CLUSTER_SYSTEM_ONCE: 'false' });
    assert.deepEqual(lines, []);
    assert.deepEqual(config, { aggregate: false, scrapeTimeoutMillis: 250, gaugeAggregation: { '*': 'max', 'queue.depth': 'sum' }, systemOnce: false, threads: false });
  });

  it('a bad env value is one line naming it, and falls back', () => {
    const { config, lines } = read({ OTEL_METRICS_CLUSTER: 'maybe', OTEL_METRICS_CLUSTER_GAUGE_AGGREGATION: 'avg' });
    assert.equal(config.aggregate, true);
    assert.deepEqual(config.gaugeAggregation, { '*': 'label' });
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /OTEL_METRICS_CLUSTER="maybe"/);
    assert.match(lines[1]!, /OTEL_METRICS_CLUSTER_GAUGE_AGGREGATION="avg"/);
  });

  it('bad code options throw ConfigError with their path', () => {
    assert.throws(() => read({}, { scrapeTimeoutMillis: -1 }), (e: Error) => e instanceof ConfigError && /cluster\.scrapeTimeoutMillis/.test(e.message));
    assert.throws(() => read({}, { gaugeAggregation: { x: 'avg' } }), (e: Error) => e instanceof ConfigError && /cluster\.gaugeAggregation\["x"\]/.test(e.message));
    assert.deepEqual(read({}, { gaugeAggregation: 'sum' }).config.gaugeAggregation, { '*': 'sum' });
  });
});
