import assert from 'node:assert/strict';
import { request } from 'node:https';
import { describe, it } from 'node:test';
import { EnvReader } from '../../../core/env-reader';
import { ConfigError } from '../../../core/errors';
import { readPrometheusConfig } from '../../../exporters/prometheus/prometheus-config';
import { testCerts } from '../../helpers/certs';
import { freePort } from '../../helpers/free-port';
import { havePeer } from '../../helpers/peers';
import { fixture, startApp } from '../../helpers/spawn-app';

const read = (env: Record<string, string>, options?: unknown) => {
  const lines: string[] = [];
  return { config: readPrometheusConfig(new EnvReader(env, (l) => lines.push(l)), options), lines };
};

describe('prometheus configuration', () => {
  it('defaults: localhost:9464, underscores with suffixes, gzip, no protection', () => {
    const { config, lines } = read({});
    assert.deepEqual(config, { host: 'localhost', port: 9464, maxConnections: 64, translationStrategy: 'UnderscoreEscapingWithSuffixes', withoutScopeInfo: false, withoutTargetInfo: false, compression: 'gzip', bearerToken: undefined });
    assert.deepEqual(lines, []);
  });

  it('reads every OTEL_EXPORTER_PROMETHEUS_* variable; code options win', () => {
    const { config } = read({
      OTEL_EXPORTER_PROMETHEUS_TRANSLATION_STRATEGY: 'notranslation',
      OTEL_EXPORTER_PROMETHEUS_WITHOUT_SCOPE_INFO: 'true',
      OTEL_EXPORTER_PROMETHEUS_WITHOUT_TARGET_INFO: 'true',
      OTEL_EXPORTER_PROMETHEUS_COMPRESSION: 'none',
      OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_USERNAME: 'prom',
      OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_PASSWORD: '$2b$10$abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzA',
      OTEL_EXPORTER_PROMETHEUS_BEARER_TOKEN: 'tok',
      OTEL_EXPORTER_PROMETHEUS_TLS_CERT_FILE: '/c.pem',
      OTEL_EXPORTER_PROMETHEUS_TLS_KEY_FILE: '/k.pem',
      OTEL_EXPORTER_PROMETHEUS_TLS_CLIENT_CA_FILE: '/ca.pem',
    }, { compression: 'gzip', port: 9500 });
    assert.equal(config.translationStrategy, 'NoTranslation');
    assert.equal(config.withoutScopeInfo, true);
    assert.equal(config.withoutTargetInfo, true);
    assert.equal(config.compression, 'gzip');
    assert.equal(config.port, 9500);
    assert.deepEqual(Object.keys(config.basicAuthUsers!), ['prom']);
    assert.equal(config.bearerToken, 'tok');
    assert.deepEqual(config.tls, { certFile: '/c.pem', keyFile: '/k.pem', clientCaFile: '/ca.pem' });
  });

  it('a bad value is one line naming it; a half-set basic auth refuses every scrape and never shows the secret', () => {
    const { config, lines } = read({ OTEL_EXPORTER_PROMETHEUS_TRANSLATION_STRATEGY: 'dots', OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_PASSWORD: 'hunter2' });
    assert.equal(config.translationStrategy, 'UnderscoreEscapingWithSuffixes');
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.equal(lines[0], 'invalid OTEL_EXPORTER_PROMETHEUS_TRANSLATION_STRATEGY="dots" (expected one of UnderscoreEscapingWithSuffixes, UnderscoreEscapingWithoutSuffixes, NoUTF8EscapingWithSuffixes, NoTranslation); using UnderscoreEscapingWithSuffixes');
    assert.match(lines[1]!, /OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_USERNAME is not set.*refused/);
    assert.doesNotMatch(lines.join(''), /hunter2/);
    assert.ok(config.basicAuthUsers && !('hunter2' in config.basicAuthUsers));
  });

  it('bad code options throw ConfigError naming the option', () => {
    assert.throws(() => read({}, { translationStrategy: 'Dots' }), (e: Error) => e instanceof ConfigError && /prometheus.translationStrategy/.test(e.message));
    assert.throws(() => read({}, { compression: 'br' }), /prometheus.compression/);
    assert.throws(() => read({}, { endpoint: 'metrics' }), /prometheus.endpoint/);
    assert.throws(() => read({}, { basicAuthUsers: { a: 1 } }), /prometheus.basicAuthUsers/);
  });

  it('the preload serves /metrics with basic auth over TLS from env alone', async (t) => {
    if (!havePeer(t, 'openssl', ['version'])) return;
    const certs = testCerts();
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(certs.dir, 'srv.pem'), certs.serverCert);
    writeFileSync(join(certs.dir, 'srv.key'), certs.serverKey);
    const port = await freePort();
    const app = startApp(fixture('long-app.js'), {
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: 'localhost',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_USERNAME: 'prom',
      OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_PASSWORD: 'pa55word',
      OTEL_EXPORTER_PROMETHEUS_TLS_CERT_FILE: join(certs.dir, 'srv.pem'),
      OTEL_EXPORTER_PROMETHEUS_TLS_KEY_FILE: join(certs.dir, 'srv.key'),
    });
    const get = (password: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      request(`https://localhost:${port}/metrics`, { ca: certs.ca, headers: { authorization: `Basic ${Buffer.from(`prom:${password}`).toString('base64')}` } }, (res) => {
        let body = '';
        res.on('data', (d) => { body += d; });
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      }).on('error', reject).end();
    });
    try {
      await app.waitForOutput(/ready/);
      // The app says ready once its main module ran; the TLS server may still be binding then
      // (its key and certificate are read first), so wait until it accepts a connection.
      let ok: { status: number; body: string } | undefined;
      for (let tries = 0; !ok; tries++) {
        try {
          ok = await get('pa55word');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || tries >= 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      assert.equal(ok.status, 200);
      assert.match(ok.body, /^app_requests_total\{/m);
      assert.equal((await get('wrong')).status, 401);
      assert.equal(app.stderr(), '');
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
    }
  });
});
