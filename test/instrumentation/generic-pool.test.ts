import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createPool } from 'generic-pool';
import { instrumentPool } from '../../instrumentation/db-pool';
import { TestReader, points, value, type Collected } from '../helpers/metric-collect';

async function collect(reader: TestReader): Promise<Collected> {
  const { resourceMetrics } = await reader.collect();
  const out: Collected = new Map();
  for (const sm of resourceMetrics.scopeMetrics) for (const m of sm.metrics) out.set(m.descriptor.name, m);
  return out;
}

describe('instrumentPool with generic-pool', () => {
  it('reports borrowed, available, pending and limit, and wait and use times; stop restores the pool', async () => {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    let made = 0;
    const pool = createPool({ create: async () => ({ id: ++made }), destroy: async () => {} }, { max: 2, min: 0 });
    const ownAcquire = pool.acquire;
    const handle = instrumentPool(pool, { name: 'workers', meter: provider.getMeter('test') });
    const attrs = { 'db.client.connection.pool.name': 'workers' };
    try {
      const a = await pool.acquire();
      const b = await pool.acquire();
      const third = pool.acquire();
      let c = await collect(reader);
      assert.equal(value(c, 'db.client.connection.count', { ...attrs, 'db.client.connection.state': 'used' }), 2);
      assert.equal(value(c, 'db.client.connection.pending_requests', attrs), 1);
      assert.equal(value(c, 'db.client.connection.limit', attrs), 2);
      await pool.release(a);
      await pool.release(await third);
      await pool.destroy(b);
      c = await collect(reader);
      assert.equal(value(c, 'db.client.connection.count', { ...attrs, 'db.client.connection.state': 'used' }), 0);
      assert.equal((points(c, 'db.client.connection.wait_time', attrs)[0].value as { count: number }).count, 3);
      assert.equal((points(c, 'db.client.connection.use_time', attrs)[0].value as { count: number }).count, 3);
    } finally {
      handle.stop();
      assert.equal(pool.acquire, ownAcquire, 'stop restores the pool');
      await pool.drain();
      await pool.clear();
      await provider.shutdown();
    }
  });
});
