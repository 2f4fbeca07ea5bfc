import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EnvReader } from '../../core/env-reader';
import { ConfigError } from '../../core/errors';
import { redact } from '../../core/redact';
import { DEFAULT_RESOURCE_TAGS, INFLUX_APIS, INFLUX_DEFAULTS, type InfluxConfig, type InfluxOptions } from './influx-options';
import { validateInfluxOptions } from './validate-influx-options';
import { PRECISIONS } from './precision';

const P = 'OTEL_EXPORTER_INFLUXDB_';

/**
 * Reads the `OTEL_EXPORTER_INFLUXDB_*` variables and lays the code `options` over them. A bad
 * value gives one line and its default; a missing or contradictory setting gives one line each
 * (never showing a token or password). Bad code options throw ConfigError naming the option.
 */
export function readInfluxConfig(env: EnvReader, options: unknown = {}): InfluxConfig {
  const o: InfluxOptions = validateInfluxOptions(options);
  const name = (field: keyof InfluxOptions, suffix: string) => (o[field] !== undefined ? `influxdb option ${field}` : P + suffix);
  const api = o.api ?? env.oneOf(P + 'API', INFLUX_APIS, INFLUX_DEFAULTS.api);
  const precision = o.precision ?? env.oneOf(P + 'PRECISION', PRECISIONS, INFLUX_DEFAULTS.precision);
  const compression = o.compression ?? env.oneOf(P + 'COMPRESSION', ['gzip', 'none'] as const, INFLUX_DEFAULTS.compression);
  const timeoutMillis = o.timeoutMillis ?? env.millis(P + 'TIMEOUT', INFLUX_DEFAULTS.timeoutMillis);
  const text = (field: 'database' | 'retentionPolicy' | 'org' | 'bucket' | 'token' | 'username' | 'password', suffix: string) => o[field] ?? env.string(P + suffix);
  let username = text('username', 'USERNAME');
  let password = text('password', 'PASSWORD');
  const endpoint = readEndpoint(env, o.endpoint);
  // Credentials in the URL are moved out of it, so the URL can be shown in messages.
  username ??= endpoint.username;
  password ??= endpoint.password;
  const config: InfluxConfig = {
    api, endpoint: endpoint.base, precision, compression, timeoutMillis,
    database: text('database', 'DATABASE'), retentionPolicy: text('retentionPolicy', 'RETENTION_POLICY'),
    org: text('org', 'ORG'), bucket: text('bucket', 'BUCKET'), token: text('token', 'TOKEN'), username, password,
    ca: pem(env, o.certificateFile, P + 'CERTIFICATE'),
    key: pem(env, o.clientKeyFile, P + 'CLIENT_KEY'),
    cert: pem(env, o.clientCertificateFile, P + 'CLIENT_CERTIFICATE'),
    resourceTags: o.resourceTags ?? readResourceTags(env) ?? DEFAULT_RESOURCE_TAGS,
    maxBatchLines: o.maxBatchLines ?? INFLUX_DEFAULTS.maxBatchLines,
    maxBatchBytes: o.maxBatchBytes ?? INFLUX_DEFAULTS.maxBatchBytes,
    missing: [],
  };
  const problem = (line: string) => env.warn(`influxdb: ${line}`);
  const need = (value: string | undefined, what: string) => {
    if (value !== undefined) return;
    config.missing.push(what);
    problem(`API ${api} needs ${what}; the InfluxDB exporter does not start without it`);
  };
  const ignore = (field: 'database' | 'retentionPolicy' | 'org' | 'bucket' | 'username', suffix: string, why: string) => {
    if (config[field] === undefined) return;
    problem(`${name(field, suffix)} is ignored with API ${api} (${why})`);
    config[field] = undefined;
  };
  if ((config.key === undefined) !== (config.cert === undefined)) {
    problem(`${P}CLIENT_KEY and ${P}CLIENT_CERTIFICATE must be set together; using no client certificate`);
    config.key = config.cert = undefined;
  }
  if (config.token !== undefined && (config.username !== undefined || config.password !== undefined)) {
    problem(`${name('token', 'TOKEN')} and a username/password are both set; using the token, ignoring the username and password`);
    config.username = config.password = undefined;
  } else if ((config.username === undefined) !== (config.password === undefined)) {
    problem(`${config.username === undefined ? name('password', 'PASSWORD') + ' is set without a username' : name('username', 'USERNAME') + ' is set without a password'}; sending no credentials`);
    config.username = config.password = undefined;
  }
  if (api === 'v1') {
    need(config.database, `a database (${name('database', 'DATABASE')})`);
    ignore('org', 'ORG', 'v1 writes to DATABASE');
    ignore('bucket', 'BUCKET', 'v1 writes to DATABASE');
  } else if (api === 'v2') {
    need(config.org, `an organization (${name('org', 'ORG')})`);
    need(config.bucket, `a bucket (${name('bucket', 'BUCKET')})`);
    ignore('database', 'DATABASE', 'v2 writes to ORG and BUCKET; set API=v1 for the 1.x-compatible /write');
    ignore('retentionPolicy', 'RETENTION_POLICY', 'a v2 bucket has its own retention');
    if (config.username !== undefined) ignore('username', 'USERNAME', '/api/v2/write takes a token, not a password');
    config.password = undefined;
    // Allowed: a 1.8 server's /api/v2/write with auth off takes none. Said once, at info level, and
    // only when the exporter does start (next to a 'does not start' line it would contradict it).
    if (config.token === undefined && config.missing.length === 0) env.note(`influxdb: no token (${P}TOKEN) for API v2; writing without one (InfluxDB 2.x refuses that with 401, a 1.8 server with auth off accepts it)`);
  } else {
    need(config.database, `a database (${name('database', 'DATABASE')})`);
    ignore('retentionPolicy', 'RETENTION_POLICY', 'v3 has no retention policies');
    ignore('org', 'ORG', 'v3 writes to DATABASE');
    ignore('bucket', 'BUCKET', 'v3 writes to DATABASE');
    if (config.username !== undefined) ignore('username', 'USERNAME', 'v3 takes a token, not a password');
    config.password = undefined;
  }
  return config;
}

function readEndpoint(env: EnvReader, fromCode: string | undefined): { base: string; username?: string; password?: string } {
  const raw = fromCode ?? env.string(P + 'ENDPOINT') ?? INFLUX_DEFAULTS.endpoint;
  let url: URL | undefined;
  try {
    url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') url = undefined;
  } catch {
    url = undefined;
  }
  if (!url) {
    if (fromCode !== undefined) throw new ConfigError(`influxdb option endpoint is not an absolute http:// or https:// URL`);
    // The value may carry credentials (userinfo, ?u=…&p=…): the shared helper masks them.
    env.invalid(P + 'ENDPOINT', redact.url(raw), 'an absolute http:// or https:// URL', INFLUX_DEFAULTS.endpoint);
    return { base: INFLUX_DEFAULTS.endpoint };
  }
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = url.password = '';
  url.search = url.hash = '';
  return { base: url.href.replace(/\/+$/, ''), username, password };
}

function readResourceTags(env: EnvReader): readonly string[] | '*' | undefined {
  const raw = env.string(P + 'RESOURCE_TAGS');
  if (raw === undefined) return undefined;
  if (raw === '*') return '*';
  if (raw.toLowerCase() === 'none') return [];
  // Attribute keys are case-sensitive: not lower-cased like other lists.
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function pem(env: EnvReader, fromCode: string | undefined, variable: string): Buffer | undefined {
  const file = fromCode ?? env.string(variable);
  if (file === undefined) return undefined;
  try {
    return readFileSync(resolve(file));
  } catch (err) {
    if (fromCode !== undefined) throw new ConfigError(`influxdb: cannot read ${file}: ${(err as Error).message}`);
    env.warn(`cannot read ${variable}=${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); using ${variable.endsWith('CERTIFICATE') && !variable.endsWith('CLIENT_CERTIFICATE') ? 'the system trusted CAs' : 'no client certificate'}`);
    return undefined;
  }
}
