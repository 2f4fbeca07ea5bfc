import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { InfluxServer } from '../helpers/influxdb-server';
import { havePeer } from '../helpers/peers';
import { fixture, runApp } from '../helpers/spawn-app';

// An app under the preload with OTEL_METRICS_EXPORTER=influxdb writing to a real InfluxDB 1.6.

function installed(): boolean {
  try {
    execFileSync('influxd', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('influxdb exporter end to end', () => {
  let open: InfluxServer | undefined;
  let secured: InfluxServer | undefined;
  before(async () => {
    if (!installed()) return;
    [open, secured] = await Promise.all([
      InfluxServer.start({ databases: ['app', 'conflict'] }),
      InfluxServer.start({ admin: { username: 'admin', password: 'right-pass' }, databases: ['app'] }),
    ]);
  });
  after(async () => { await Promise.all([open?.stop(), secured?.stop()]); });

  const env = (server: InfluxServer, extra: Record<string, string> = {}) => ({
    OTEL_METRICS_EXPORTER: 'influxdb',
    // Generous: the first write to a new database creates a shard, which a busy disk makes slow.
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    TICK_MS: '150',
    OTEL_SERVICE_NAME: 'influx-e2e',
    OTEL_EXPORTER_INFLUXDB_ENDPOINT: server.url,
    OTEL_EXPORTER_INFLUXDB_API: 'v1',
    OTEL_EXPORTER_INFLUXDB_DATABASE: 'app',
    ...extra,
  });

  it('stores the recorded values: counter total, histogram count and sum, gauge, tags, ms timestamps', async (t) => {
    if (!havePeer(t, 'influxd', ['version'])) return;
    const started = Date.now();
    const result = await runApp(fixture('influx-app.js'), env(open!, { OTEL_EXPORTER_INFLUXDB_PRECISION: 'ms' }));
    const ended = Date.now();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const q = async (influxql: string) => InfluxServer.rows(await open!.query(influxql, 'app', true, 'u'));
    const [orders] = await q('SELECT last(counter) AS total FROM "app.orders" GROUP BY *');
    assert.deepEqual([orders.total, orders.shop, orders['pay method'], orders['service.name'], orders['otel.library.name'], orders['otel.library.version']],
      [15, 'north, east', 'card=visa', 'influx-e2e', 'influx-app', '2.0.0']);
    const [value] = await q('SELECT last("count") AS n, last("sum") AS total, last("+Inf") AS le_inf FROM "app.order.value"');
    assert.deepEqual([value.n, value.total, value.le_inf], [5, 12.5, 5]);
    const [depth] = await q('SELECT last(gauge) AS g FROM "app.queue.depth"');
    assert.equal(depth.g, 6);
    const fieldTypes = InfluxServer.rows(await open!.query('SHOW FIELD KEYS FROM "app.orders"', 'app'));
    assert.equal(fieldTypes.find((f) => f.fieldKey === 'counter')?.fieldType, 'integer');
    // Millisecond precision: every stored time (in µs here) is a whole millisecond within the run.
    const times = (await q('SELECT counter FROM "app.orders"')).map((r) => r.time as number);
    assert.ok(times.length >= 1);
    for (const us of times) {
      assert.equal(us % 1000, 0, `time ${us} µs is not a whole millisecond`);
      assert.ok(us / 1000 >= started - 1000 && us / 1000 <= ended + 1000, `time ${us} µs outside the run`);
    }
  });

  it('a field type conflict gives the documented partial-write error', async (t) => {
    if (!havePeer(t, 'influxd', ['version'])) return;
    // The field already exists as a float; the app writes an integer counter. InfluxDB 1.x
    // checks field types per shard: the float is written now, into the shard the app writes to.
    const pre = await fetch(`${open!.url}/write?db=conflict&precision=ms`, { method: 'POST', body: `app.orders counter=1.5 ${Date.now()}` });
    assert.equal(pre.status, 204);
    const result = await runApp(fixture('influx-app.js'), env(open!, { OTEL_EXPORTER_INFLUXDB_DATABASE: 'conflict' }));
    assert.equal(result.code, 0);
    assert.match(result.stderr, /InfluxDB rejected \d+ of \d+ line\(s\) \(HTTP 400\), not retried; first error: partial write: field type conflict: input field "counter" on measurement "app\.orders" is type integer, already exists as type float dropped=\d+/);
    assert.match(result.stderr, /for influxdb http:\/\/127\.0\.0\.1:\d+\/write/);
    // The other measurements of the same requests were stored.
    const [value] = InfluxServer.rows(await open!.query('SELECT last("count") AS n FROM "app.order.value"', 'conflict'));
    assert.equal(value.n, 5);
  });

  it('a wrong password gives the documented auth error, naming the endpoint and never the password', async (t) => {
    if (!havePeer(t, 'influxd', ['version'])) return;
    // influxd checks a password with bcrypt, slower than a 100 ms export interval allows: only the exit flush exports here.
    const slow = { OTEL_METRIC_EXPORT_INTERVAL: '5000', OTEL_METRIC_EXPORT_TIMEOUT: '5000' };
    const result = await runApp(fixture('influx-app.js'), env(secured!, { ...slow, OTEL_EXPORTER_INFLUXDB_USERNAME: 'admin', OTEL_EXPORTER_INFLUXDB_PASSWORD: 'wrong-pass' }));
    assert.equal(result.code, 0);
    assert.match(result.stderr, /authentication failed at influxdb http:\/\/127\.0\.0\.1:\d+\/write \(HTTP 401: authorization failed\); check OTEL_EXPORTER_INFLUXDB_USERNAME\/PASSWORD/);
    assert.doesNotMatch(result.stderr, /wrong-pass|right-pass/);
    assert.equal((await secured!.query('SHOW MEASUREMENTS', 'app')).length, 0);
    // The right password writes.
    const ok = await runApp(fixture('influx-app.js'), env(secured!, { ...slow, OTEL_EXPORTER_INFLUXDB_USERNAME: 'admin', OTEL_EXPORTER_INFLUXDB_PASSWORD: 'right-pass' }));
    assert.equal(ok.stderr, '');
    const [orders] = InfluxServer.rows(await secured!.query('SELECT last(counter) AS total FROM "app.orders"', 'app'));
    assert.equal(orders.total, 15);
  });

  it('missing settings: one line each, the app runs on', async () => {
    const result = await runApp(fixture('influx-app.js'), { OTEL_METRICS_EXPORTER: 'influxdb', OTEL_EXPORTER_INFLUXDB_API: 'v2' });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /done/);
    const lines = result.stderr.trim().split('\n');
    assert.match(lines[0], /API v2 needs an organization \(OTEL_EXPORTER_INFLUXDB_ORG\)/);
    assert.match(lines[1], /API v2 needs a bucket \(OTEL_EXPORTER_INFLUXDB_BUCKET\)/);
    assert.ok(lines.length <= 4, result.stderr);
  });
});
