import { metrics, ValueType, type BatchObservableCallback, type Meter } from '@opentelemetry/api';
import { ConfigError } from '../core/errors';

/** Options of instrumentPool. */
export interface InstrumentPoolOptions {
  /** `db.client.connection.pool.name`; required, unique per pool. */
  name: string;
  /** Meter to record on; default the global MeterProvider's `otel-metrics-pipeline` meter. */
  meter?: Meter;
}

/** What instrumentPool returns. */
export interface PoolInstrumentation {
  /** Stops observing and restores the pool's own methods; idempotent. */
  stop(): void;
}

/** Seconds; from sub-millisecond hand-outs of a warm pool up to a starved one. */
const TIME_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

interface Counts { used: number; idle: number; pending: number; max?: number }
type AnyPool = Record<string, unknown> & { on?: (e: string, f: (...a: unknown[]) => void) => void; off?: (e: string, f: (...a: unknown[]) => void) => void };

const isPg = (p: AnyPool) => typeof p.totalCount === 'number' && typeof p.idleCount === 'number' && typeof p.waitingCount === 'number';
const isGeneric = (p: AnyPool) => typeof p.borrowed === 'number' && typeof p.pending === 'number' && typeof p.acquire === 'function';

/**
 * Connection-pool metrics (semconv `db.client.connection.*`) for a pg.Pool-style pool (totalCount,
 * idleCount, waitingCount, connect + acquire/release events) or a generic-pool Pool (size,
 * available, borrowed, pending, acquire/release/destroy). Wait time is measured by wrapping the
 * instance's own connect/acquire (never the prototype), use time between hand-out and release.
 */
export function instrumentPool(pool: object, options: InstrumentPoolOptions): PoolInstrumentation {
  if (typeof options?.name !== 'string' || options.name === '') throw new ConfigError('instrumentPool: options.name must be a non-empty string');
  const p = pool as AnyPool;
  const pg = isPg(p);
  if (!pg && !isGeneric(p)) throw new ConfigError('instrumentPool: pool is neither a pg.Pool-style pool (totalCount, idleCount, waitingCount) nor a generic-pool Pool');
  const meter = options.meter ?? metrics.getMeter('otel-metrics-pipeline');
  const poolAttr = { 'db.client.connection.pool.name': options.name };
  const count = meter.createObservableUpDownCounter('db.client.connection.count', { unit: '{connection}', valueType: ValueType.INT, description: 'Connections by state' });
  const limit = meter.createObservableUpDownCounter('db.client.connection.limit', { unit: '{connection}', valueType: ValueType.INT, description: 'Most connections the pool allows' });
  const pending = meter.createObservableUpDownCounter('db.client.connection.pending_requests', { unit: '{request}', valueType: ValueType.INT, description: 'Requests waiting for a connection' });
  const waitTime = meter.createHistogram('db.client.connection.wait_time', { unit: 's', description: 'Time to obtain a connection from the pool', advice: { explicitBucketBoundaries: TIME_BUCKETS } });
  const useTime = meter.createHistogram('db.client.connection.use_time', { unit: 's', description: 'Time between borrowing and returning a connection', advice: { explicitBucketBoundaries: TIME_BUCKETS } });

  const read = (): Counts => {
    if (pg) {
      const max = (p.options as { max?: unknown } | undefined)?.max;
      return { used: (p.totalCount as number) - (p.idleCount as number), idle: p.idleCount as number, pending: p.waitingCount as number, max: typeof max === 'number' ? max : undefined };
    }
    return { used: p.borrowed as number, idle: p.available as number, pending: p.pending as number, max: typeof p.max === 'number' ? p.max : undefined };
  };
  const callback: BatchObservableCallback = (result) => {
    try {
      const c = read();
      result.observe(count, c.used, { ...poolAttr, 'db.client.connection.state': 'used' });
      result.observe(count, c.idle, { ...poolAttr, 'db.client.connection.state': 'idle' });
      result.observe(pending, c.pending, poolAttr);
      if (c.max !== undefined) result.observe(limit, c.max, poolAttr);
    } catch { /* a pool that broke its own counters costs its figures, not the collection */ }
  };
  meter.addBatchObservableCallback(callback, [count, limit, pending]);

  const borrowed = new WeakMap<object, number>();
  const onAcquire = (client: unknown) => { if (client && typeof client === 'object') borrowed.set(client, performance.now()); };
  const onRelease = (client: unknown) => {
    const since = client && typeof client === 'object' ? borrowed.get(client) : undefined;
    if (since === undefined) return;
    borrowed.delete(client as object);
    useTime.record((performance.now() - since) / 1000, poolAttr);
  };
  const restore: Array<() => void> = [];
  const wrap = (method: string, replacement: (original: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown) => {
    const own = Object.prototype.hasOwnProperty.call(p, method);
    const original = p[method] as (...a: unknown[]) => unknown;
    p[method] = replacement(original);
    restore.push(() => { if (own) p[method] = original; else delete p[method]; });
  };
  const recordWait = (start: number) => waitTime.record((performance.now() - start) / 1000, poolAttr);

  if (pg) {
    wrap('connect', (original) => function (this: unknown, ...args: unknown[]) {
      const start = performance.now();
      const cb = args[0];
      if (typeof cb === 'function') return original.call(this, (...r: unknown[]) => { recordWait(start); return (cb as (...x: unknown[]) => unknown)(...r); });
      return (original.call(this) as Promise<unknown>).finally(() => recordWait(start));
    });
    p.on?.('acquire', onAcquire);
    const onPgRelease = (_err: unknown, client: unknown) => onRelease(client);
    p.on?.('release', onPgRelease);
    restore.push(() => { p.off?.('acquire', onAcquire); p.off?.('release', onPgRelease); });
  } else {
    wrap('acquire', (original) => function (this: unknown, ...args: unknown[]) {
      const start = performance.now();
      return (original.apply(this, args) as Promise<unknown>).then((resource) => { recordWait(start); onAcquire(resource); return resource; }, (err: unknown) => { recordWait(start); throw err; });
    });
    for (const m of ['release', 'destroy']) {
      wrap(m, (original) => function (this: unknown, resource: unknown, ...rest: unknown[]) { onRelease(resource); return original.call(this, resource, ...rest); });
    }
  }

  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      meter.removeBatchObservableCallback(callback, [count, limit, pending]);
      for (const r of restore) r();
    },
  };
}
