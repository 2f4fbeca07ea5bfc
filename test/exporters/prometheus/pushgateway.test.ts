import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { EnvReader } from '../../../core/env-reader';
import { ExportError } from '../../../exporters/delivery/export-error';
import { readPushgatewayConfig } from '../../../exporters/prometheus/pushgateway-config';
import { PushgatewayExporter } from '../../../exporters/prometheus/pushgateway-exporter';
import { pushgatewayPath } from '../../../exporters/prometheus/pushgateway-path';
import { testCerts } from '../../helpers/certs';
import { havePeer } from '../../helpers/peers';
import { PushgatewayServer } from '../../helpers/pushgateway-server';
import { fixture, runApp } from '../../helpers/spawn-app';
import { collection, metric } from './sample-collection';

const push = (exporter: PushgatewayExporter, rm = collection([{ name: 'job', metrics: [metric('counter', 'rows.done', '{row}', [[{}, 42]], 'Rows')] }])) =>
  new Promise<ExportResult>((resolve) => exporter.export(rm, resolve));

describe('Pushgateway path', () => {
  it('puts values with / (and empty ones) in the base64 form', () => {
    assert.equal(pushgatewayPath('nightly', { instance: 'host-1' }), '/metrics/job/nightly/instance/host-1');
    assert.equal(pushgatewayPath('a/b', { path: '/var/tmp', empty: '' }), '/metrics/job@base64/YS9i/path@base64/L3Zhci90bXA/empty@base64/=');
  });

  it('reads job, grouping and credentials from env, one line per bad entry, secrets never in lines', () => {
    const lines: string[] = [];
    const env = new EnvReader({
      OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_ENDPOINT: 'http://gw:9091/',
      OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_JOB: 'nightly',
      OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_GROUPING: 'instance=host-1,bad-label=x,path=%2Fsrv',
      OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_USERNAME: 'pusher',
      OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_PASSWORD: 'hunter2',
    }, (l) => lines.push(l));
    const config = readPushgatewayConfig(env);
    assert.equal(config.endpoint, 'http://gw:9091');
    assert.equal(config.job, 'nightly');
    assert.deepEqual(config.grouping, { instance: 'host-1', path: '/srv' });
    assert.equal(config.headers.authorization, `Basic ${Buffer.from('pusher:hunter2').toString('base64')}`);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /bad-label/);
    assert.doesNotMatch(lines.join(''), /hunter2/);
  });
});

describe('a real Pushgateway', () => {
  it('receives a short-lived job\'s final values at exit, with grouping labels containing /', async (t) => {
    if (!havePeer(t, 'prometheus-pushgateway')) return;
    const gw = await PushgatewayServer.start();
    try {
      // A gateway that came up holding groups could pass this test on an earlier run's data.
      assert.deepEqual(await gw.groups(), [], 'a fresh gateway holds no group');
      const result = await runApp(fixture('short-app.js'), {
        OTEL_METRICS_EXPORTER: 'prometheus/pushgateway',
        OTEL_METRICS_INSTRUMENTATIONS: 'none',
        OTEL_SERVICE_NAME: 'batch-svc',
        OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_ENDPOINT: gw.url,
        OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_JOB: 'nightly',
        OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_GROUPING: 'instance=host-1,path=/srv/jobs/a',
      });
      assert.equal(result.code, 0);
      assert.equal(result.stderr, '');
      const body = await gw.metrics();
      const labels = 'instance="host-1",job="nightly",otel_scope_name="fixture-app",otel_scope_version="1.0.0",path="/srv/jobs/a",route="/a"';
      assert.match(body, new RegExp(`^app_requests_total\\{${labels}\\} 7$`, 'm'));
      assert.match(body, /^app_latency_seconds_count\{.*job="nightly".*\} 3$/m);
      assert.match(body, /^target_info\{.*service_name="batch-svc".*\} 1$/m);
      assert.match(body, /^push_time_seconds\{instance="host-1",job="nightly",path="\/srv\/jobs\/a"\} /m);
    } finally {
      await gw.stop();
    }
  });

  it('pushes with basic auth over TLS; a wrong password is a permanent ExportError 401', async (t) => {
    if (!havePeer(t, 'prometheus-pushgateway') || !havePeer(t, 'openssl', ['version'])) return;
    const certs = testCerts();
    const bcrypt = require('bcryptjs') as typeof import('bcryptjs');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(certs.dir, 'server-gw.pem'), certs.serverCert);
    writeFileSync(join(certs.dir, 'server-gw.key'), certs.serverKey);
    const webConfig = `tls_server_config:\n  cert_file: ${join(certs.dir, 'server-gw.pem')}\n  key_file: ${join(certs.dir, 'server-gw.key')}\nbasic_auth_users:\n  pusher: ${bcrypt.hashSync('s3cret', 5)}\n`;
    const authorization = `Basic ${Buffer.from('pusher:s3cret').toString('base64')}`;
    const gw = await PushgatewayServer.start({ webConfig, tls: true, authorization, ca: certs.ca });
    try {
      const read = (password: string) => readPushgatewayConfig(new EnvReader({}), { endpoint: gw.url, job: 'secure', username: 'pusher', password, certificateFile: certs.caFile });
      const good = new PushgatewayExporter(read('s3cret'));
      assert.equal((await push(good)).code, ExportResultCode.SUCCESS);
      assert.match(await gw.metrics(), /^rows_done_total\{instance="",job="secure",otel_scope_name="job"\} 42$/m);
      await good.shutdown();
      const bad = new PushgatewayExporter(read('wrong'));
      const result = await push(bad);
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.ok(result.error instanceof ExportError);
      assert.equal((result.error as ExportError).httpStatus, 401);
      assert.equal((result.error as ExportError).retryable, false);
      assert.doesNotMatch(result.error!.message, /wrong|s3cret/);
      await bad.shutdown();
    } finally {
      await gw.stop();
    }
  });

  it('a Pushgateway that is down is a retryable ExportError (the delivery chain retries, not us)', async () => {
    const { freePort } = require('../../helpers/free-port') as typeof import('../../helpers/free-port');
    const exporter = new PushgatewayExporter(readPushgatewayConfig(new EnvReader({}), { endpoint: `http://127.0.0.1:${await freePort()}`, job: 'x' }), 2000);
    const result = await push(exporter);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.equal((result.error as ExportError).retryable, true);
    await exporter.shutdown();
  });
});
