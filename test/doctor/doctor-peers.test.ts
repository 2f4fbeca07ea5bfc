import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDoctor } from '../../src/doctor/run-doctor';
import type { DoctorReport } from '../../src/doctor/doctor-report';
import { InfluxServer } from '../helpers/influxdb-server';
import { havePeer } from '../helpers/peers';
import { PushgatewayServer } from '../helpers/pushgateway-server';

const checks = (r: DoctorReport, name: string) => Object.fromEntries(r.destinations.find((d) => d.name === name)!.checks.map((c) => [c.name, c]));
const influxEnv = (url: string, extra: Record<string, string>) => ({ OTEL_METRICS_EXPORTER: 'influxdb', OTEL_EXPORTER_INFLUXDB_API: 'v1', OTEL_EXPORTER_INFLUXDB_ENDPOINT: url, ...extra });

describe('doctor against real peers', () => {
  it('InfluxDB without auth: /ping, a test point written; a missing database and retention policy are named', async (t) => {
    if (!havePeer(t, 'influxd', ['version'])) return;
    const influx = await InfluxServer.start({ databases: ['metrics'] });
    try {
      const ok = await runDoctor({ env: influxEnv(influx.url, { OTEL_EXPORTER_INFLUXDB_DATABASE: 'metrics' }) });
      const c = checks(ok, 'influxdb');
      assert.equal(c.ping!.status, 'ok', c.ping!.detail);
      assert.match(c.ping!.detail, /^InfluxDB 1\.\S+ answers \/ping \(HTTP 204\)$/);
      assert.equal(c.write!.status, 'ok', c.write!.detail);
      assert.equal(ok.exitCode, 0);
      const rows = InfluxServer.rows(await influx.query('SELECT * FROM otel_metrics_pipeline_doctor_check', 'metrics'));
      assert.equal(rows.length, 1, 'the test point arrived');

      const noDb = checks(await runDoctor({ env: influxEnv(influx.url, { OTEL_EXPORTER_INFLUXDB_DATABASE: 'nope' }) }), 'influxdb');
      assert.equal(noDb.write!.status, 'fail');
      assert.equal(noDb.write!.data!.problem, 'database_missing');
      assert.match(noDb.write!.detail, /refused \(database_missing\): not found \(HTTP 404: database not found: "nope"\)/);

      const noRp = checks(await runDoctor({ env: influxEnv(influx.url, { OTEL_EXPORTER_INFLUXDB_DATABASE: 'metrics', OTEL_EXPORTER_INFLUXDB_RETENTION_POLICY: 'weekly' }) }), 'influxdb');
      assert.equal(noRp.write!.status, 'fail');
      assert.equal(noRp.write!.data!.problem, 'retention_policy_missing');
    } finally {
      await influx.stop();
    }
  });

  it('InfluxDB with auth: the configured credentials write; wrong ones are an auth failure, never shown', async (t) => {
    if (!havePeer(t, 'influxd', ['version'])) return;
    const influx = await InfluxServer.start({ admin: { username: 'admin', password: 'adm1n-pw' }, databases: ['metrics'] });
    try {
      const env = influxEnv(influx.url, { OTEL_EXPORTER_INFLUXDB_DATABASE: 'metrics', OTEL_EXPORTER_INFLUXDB_USERNAME: 'admin', OTEL_EXPORTER_INFLUXDB_PASSWORD: 'adm1n-pw' });
      const good = checks(await runDoctor({ env }), 'influxdb');
      assert.equal(good.write!.status, 'ok', good.write!.detail);
      const bad = await runDoctor({ env: { ...env, OTEL_EXPORTER_INFLUXDB_PASSWORD: 'wrong-pw' } });
      const c = checks(bad, 'influxdb');
      assert.equal(c.write!.status, 'fail');
      assert.equal(c.write!.data!.problem, 'auth');
      assert.match(c.write!.detail, /authentication failed .*HTTP 401/);
      assert.doesNotMatch(JSON.stringify(bad), /wrong-pw|adm1n-pw/);
      assert.equal(bad.exitCode, 1);
    } finally {
      await influx.stop();
    }
  });

  it('Pushgateway: a fresh gateway holds no group; ready, push and delete of a test group, which is gone after', async (t) => {
    if (!havePeer(t, 'prometheus-pushgateway')) return;
    const gw = await PushgatewayServer.start();
    try {
      assert.deepEqual(await gw.groups(), [], 'a fresh gateway holds no group');
      const report = await runDoctor({ env: { OTEL_METRICS_EXPORTER: 'prometheus/pushgateway', OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_ENDPOINT: gw.url } });
      const c = checks(report, 'prometheus/pushgateway');
      assert.equal(c.ready!.status, 'ok', c.ready!.detail);
      assert.equal(c.push!.status, 'ok', c.push!.detail);
      assert.match(c.push!.detail, /^pushed a test group \(\/metrics\/job\/otel_metrics_pipeline_doctor\/instance\/doctor-\d+, HTTP 200\)$/);
      assert.equal(c.delete!.status, 'ok', c.delete!.detail);
      assert.equal(report.exitCode, 0);
      assert.deepEqual(await gw.groupsWhen((g) => g.length === 0), [], 'the test group was deleted');
    } finally {
      await gw.stop();
    }
  });
});
