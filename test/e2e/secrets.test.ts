import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testCerts } from '../helpers/certs';
import { freePort } from '../helpers/free-port';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { havePeer } from '../helpers/peers';
import { fixture, runApp } from '../helpers/spawn-app';

// Every secret planted below contains this; no line we write, at any level, may.
const SECRET = /s3cr3t/i;

interface Case {
  name: string;
  env: (r: OtlpReceiver, tls: OtlpReceiver | undefined, dead: number) => Record<string, string>;
  /** A line that must appear, so the run really printed about the configured thing. */
  expect: RegExp;
  tls?: boolean;
  /** The fixture app; default short-app.js under the preload. */
  app?: string;
}

const CASES: Case[] = [
  {
    name: 'generic endpoint with userinfo and query, refused over http/protobuf',
    env: (r) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://user:s3cr3t-pw@127.0.0.1:${r.httpPort}/?token=s3cr3t-q` }),
    expect: /cannot deliver to .*HTTP 404/,
  },
  {
    name: 'signal endpoint with userinfo and query, unreachable, over http/json',
    env: (_r, _t, dead) => ({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://user:s3cr3t-pw@127.0.0.1:${dead}/v1/metrics?api_key=s3cr3t-q` }),
    expect: /cannot deliver to .*connection refused/,
  },
  {
    name: 'gRPC endpoint with userinfo, refused (UNAUTHENTICATED)',
    env: (r) => ({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: `http://user:s3cr3t-pw@127.0.0.1:${r.port}?token=s3cr3t-q` }),
    expect: /cannot deliver to .*gRPC UNAUTHENTICATED/,
  },
  {
    name: 'invalid generic and signal endpoints (bad port), HTTP and gRPC',
    env: () => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://user:s3cr3t-pw@collector:99999/?token=s3cr3t-q',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'user:s3cr3t-pw@collector:99999',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    }),
    expect: /invalid OTEL_EXPORTER_OTLP_METRICS_ENDPOINT="\[redacted\]@collector:99999"/,
  },
  // Issue 19: characters that end a URL parser's authority (`/`, `#`, `?`) or repeat its `@`.
  ...['/', '#', '?', '@'].map((ch): Case => ({
    name: `password holding ${ch}: no line shows any of the userinfo`,
    env: () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://alice:s3cr3t${ch}pw@127.0.0.1:4999` }),
    // A second `@` still parses (the last one ends the userinfo): then the delivery line shows the bare endpoint.
    expect: ch === '@' ? /cannot deliver to http:\/\/127\.0\.0\.1:4999\// : /invalid OTEL_EXPORTER_OTLP_ENDPOINT="http:\/\/\[redacted\]@127\.0\.0\.1:4999"/,
  })),
  {
    name: 'headers: valid, malformed, and ones HTTP refuses',
    env: (r) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: r.httpBase,
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cr3t-h1,x-api-key=s3cr3t-h2,s3cr3t-h3,bad name=s3cr3t-h4,x-crlf=a%0D%0As3cr3t-h5,Authorization: Bearer s3cr3t-h6=1',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-tenant=s3cr3t-h7',
    }),
    expect: /invalid OTEL_EXPORTER_OTLP_HEADERS: entry 4 cannot be sent/,
  },
  {
    name: 'gRPC headers refused by HTTP/2',
    env: (r) => ({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_ENDPOINT: r.grpcUrl,
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=s3cr3t-g1,connection=s3cr3t-g2,x-latin=%C3%A9s3cr3t-g3',
    }),
    expect: /entry 2 cannot be sent as a header over gRPC/,
  },
  {
    name: 'code options: endpoint with userinfo and query, headers, resource attributes',
    app: 'code-config-app.js',
    env: (r) => ({
      APP_OPTIONS: JSON.stringify({
        exporters: ['otlp'],
        otlp: { endpoint: `http://user:s3cr3t-pw@127.0.0.1:${r.httpPort}/v1/metrics?token=s3cr3t-q`, headers: { authorization: 'Bearer s3cr3t-c1' } },
        resourceAttributes: { 'deployment.environment': 'test' },
      }),
      OTEL_RESOURCE_ATTRIBUTES: 'password=s3cr3t-r1,oops',
    }),
    expect: /cannot deliver to .*HTTP 404/,
  },
  {
    name: 'InfluxDB v1: userinfo, password and query in the endpoint, refused (404)',
    env: (r) => ({
      OTEL_METRICS_EXPORTER: 'influxdb',
      OTEL_EXPORTER_INFLUXDB_API: 'v1',
      OTEL_EXPORTER_INFLUXDB_DATABASE: 'd',
      OTEL_EXPORTER_INFLUXDB_ENDPOINT: `http://me:s3cr3t-pw@127.0.0.1:${r.httpPort}/?u=me&p=s3cr3t-q`,
      OTEL_EXPORTER_INFLUXDB_USERNAME: 'me',
      OTEL_EXPORTER_INFLUXDB_PASSWORD: 's3cr3t-ip',
    }),
    expect: /cannot deliver to influxdb http:\/\/127\.0\.0\.1:\d+\/write: HTTP 404/,
  },
  {
    name: 'InfluxDB v2: token, unreachable; an invalid endpoint with a password',
    env: (_r, _t, dead) => ({
      OTEL_METRICS_EXPORTER: 'influxdb,otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${dead}`,
      OTEL_EXPORTER_INFLUXDB_ORG: 'o',
      OTEL_EXPORTER_INFLUXDB_BUCKET: 'b',
      OTEL_EXPORTER_INFLUXDB_TOKEN: 's3cr3t-tok',
      OTEL_EXPORTER_INFLUXDB_ENDPOINT: 'http://me:s3cr3t-pw@db:99999/?token=s3cr3t-q',
    }),
    expect: /invalid OTEL_EXPORTER_INFLUXDB_ENDPOINT="http:\/\/\[redacted\]@db:99999\/\?token=\[redacted\]"/,
  },
  {
    name: 'Prometheus endpoint auth: a password without its user, and a bearer token',
    env: (_r, _t, dead) => ({
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(dead),
      OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_PASSWORD: 's3cr3t-pp',
      OTEL_EXPORTER_PROMETHEUS_BEARER_TOKEN: 's3cr3t-pt',
    }),
    expect: /Registered a global for metrics/,
  },
  {
    name: 'Pushgateway: userinfo and query in the endpoint, headers, password; refused (404)',
    env: (r) => ({
      OTEL_METRICS_EXPORTER: 'prometheus/pushgateway',
      OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_ENDPOINT: `http://me:s3cr3t-pw@127.0.0.1:${r.httpPort}/?token=s3cr3t-q`,
      OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_HEADERS: 'authorization=Bearer%20s3cr3t-h1,bad name=s3cr3t-h2',
      OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_USERNAME: 'me',
      OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_PASSWORD: 's3cr3t-gp',
    }),
    expect: /cannot deliver to pushgateway http:\/\/127\.0\.0\.1:\d+: HTTP 404/,
  },
  {
    name: 'resource attributes, malformed',
    env: (r) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: r.httpBase, OTEL_RESOURCE_ATTRIBUTES: 'token=s3cr3t-r1,password=s3cr3t-r2,s3cr3t-r3' }),
    expect: /invalid OTEL_RESOURCE_ATTRIBUTES/,
  },
  {
    name: 'TLS endpoint with userinfo that fails verification, HTTP and gRPC',
    tls: true,
    env: (_r, t) => ({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `https://user:s3cr3t-pw@127.0.0.1:${t!.httpPort}/v1/metrics?sig=s3cr3t-q` }),
    expect: /cannot deliver to .*TLS: certificate not trusted/,
  },
];

describe('no secret reaches any line at OTEL_LOG_LEVEL=all', () => {
  let receiver: OtlpReceiver;
  let tls: OtlpReceiver | undefined;
  let dead: number;
  before(async () => {
    // Refuses every request: the failure lines are where a destination gets printed.
    receiver = await OtlpReceiver.start({ requiredHeaders: { 'x-never': 'sent' } });
    dead = await freePort();
  });
  after(async () => { await receiver.close(); await tls?.close(); });

  for (const c of CASES) {
    it(c.name, async (t) => {
      if (c.tls) {
        if (!havePeer(t, 'openssl', ['version'])) return;
        const certs = testCerts();
        tls ??= await OtlpReceiver.start({ tls: { key: certs.serverKey, cert: certs.serverCert } });
      }
      const result = await runApp(fixture(c.app ?? 'short-app.js'), {
        OTEL_LOG_LEVEL: 'all',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
        OTEL_METRICS_RETRY_MAX_ELAPSED_TIME: '0',
        ...c.env(receiver, tls, dead),
      }, c.app ? [] : undefined);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, c.expect);
      const leaks = `${result.stderr}\n${result.stdout}`.split('\n').filter((line) => SECRET.test(line));
      assert.deepEqual(leaks, []);
    });
  }
});
