import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Pool, type PoolClient } from 'pg';
import { instrumentPool } from '../../instrumentation/db-pool';
import { ConfigError } from '../../core/errors';
import { TestReader, points, value, type Collected } from '../helpers/metric-collect';
import { postgresBin, startPostgres, type PostgresPeer } from '../helpers/postgres';

async function collect(reader: TestReader): Promise<Collected> {
  const { resourceMetrics } = await reader.collect();
  const out: Collected = new Map();
  for (const sm of resourceMetrics.scopeMetrics) for (const m of sm.metrics) out.set(m.descriptor.name, m);
  return out;
}

describe('instrumentPool with pg.Pool and a real PostgreSQL', () => {
  let pg: PostgresPeer | undefined;
  before(async () => {
    const bin = postgresBin();
    if (!bin) {
      if (process.env.OTEL_TEST_REQUIRE_PEERS === '1') throw new Error('required peer postgresql is not installed');
      return;
    }
    pg = await startPostgres(bin);
  });
  after(() => pg?.stop());

  it('reports used, idle, limit and waiting requests while connections are held; wait and use times', async (t) => {
    if (!pg) return t.skip('postgresql is not installed');
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    const pool = new Pool({ host: '127.0.0.1', port: pg.port, user: 'postgres', database: 'postgres', max: 2 });
    const handle = instrumentPool(pool, { name: 'main', meter: provider.getMeter('test') });
    const attrs = { 'db.client.connection.pool.name': 'main' };
    try {
      const a: PoolClient = await pool.connect();
      const b: PoolClient = await pool.connect();
      assert.equal((await a.query('select 1 as one')).rows[0].one, 1);
      const waiting = [pool.connect(), pool.query('select 2')];
      let c = await collect(reader);
      assert.equal(value(c, 'db.client.connection.count', { ...attrs, 'db.client.connection.state': 'used' }), 2);
      assert.equal(value(c, 'db.client.connection.count', { ...attrs, 'db.client.connection.state': 'idle' }), 0);
      assert.equal(value(c, 'db.client.connection.pending_requests', attrs), 2);
      assert.equal(value(c, 'db.client.connection.limit', attrs), 2);
      a.release();
      b.release();
      const [third] = await Promise.all(waiting) as [PoolClient, unknown];
      third.release();
      c = await collect(reader);
      assert.equal(value(c, 'db.client.connection.pending_requests', attrs), 0);
      assert.equal(value(c, 'db.client.connection.count', { ...attrs, 'db.client.connection.state': 'idle' }), 2);
      const wait = points(c, 'db.client.connection.wait_time', attrs)[0].value as { count: number };
      const use = points(c, 'db.client.connection.use_time', attrs)[0].value as { count: number };
      assert.equal(wait.count, 4, 'four checkouts waited or not');
      assert.equal(use.count, 4);
    } finally {
      handle.stop();
      await pool.end();
      await provider.shutdown();
    }
  });

  it('rejects a missing name or an unknown pool with ConfigError', () => {
    assert.throws(() => instrumentPool({}, { name: 'x' }), ConfigError);
    assert.throws(() => instrumentPool(new Pool(), { name: '' }), ConfigError);
  });
});
