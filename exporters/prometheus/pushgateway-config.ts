import { readFileSync } from 'node:fs';
import type { EnvReader } from '../../core/env-reader';
import { parseKeyValueList } from '../../core/key-value-list';
import { ConfigError } from '../../core/errors';

const P = 'OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_';
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Code options of `prometheus/pushgateway`; each overrides its env variable. */
export interface PushgatewayOptions {
  /** Pushgateway base URL; env `OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_ENDPOINT`, default `http://localhost:9091`. */
  endpoint?: string;
  /** The `job` label; env `..._JOB`, default the resource's `service.name`. */
  job?: string;
  /** Grouping labels; env `..._GROUPING` (`instance=host-1,path=/srv/a`), default none. */
  grouping?: Record<string, string>;
  /** Basic auth; env `..._USERNAME` and `..._PASSWORD`. */
  username?: string;
  password?: string;
  /** Extra request headers; env `..._HEADERS` (`key=value,…`). */
  headers?: Record<string, string>;
  /** PEM file paths: trusted CA, client key and certificate; env `..._CERTIFICATE`, `..._CLIENT_KEY`, `..._CLIENT_CERTIFICATE`. */
  certificateFile?: string;
  clientKeyFile?: string;
  clientCertificateFile?: string;
}

/** The resolved Pushgateway configuration. */
export interface PushgatewayConfig {
  endpoint: string;
  job?: string;
  grouping: Record<string, string>;
  headers: Record<string, string>;
  ca?: Buffer;
  key?: Buffer;
  cert?: Buffer;
}

function validate(options: unknown): PushgatewayOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw new ConfigError('prometheus/pushgateway options must be an object');
  const o = options as PushgatewayOptions;
  if (o.endpoint !== undefined && !/^https?:\/\//.test(String(o.endpoint))) throw new ConfigError(`prometheus/pushgateway endpoint must be an http(s) URL, got ${JSON.stringify(o.endpoint)}`);
  if (o.job !== undefined && (typeof o.job !== 'string' || o.job === '')) throw new ConfigError('prometheus/pushgateway job must be a non-empty string');
  for (const label of Object.keys(o.grouping ?? {})) {
    if (!LABEL.test(label)) throw new ConfigError(`prometheus/pushgateway grouping label ${JSON.stringify(label)} is not a valid Prometheus label name`);
  }
  return o;
}

/** Reads the `OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_*` variables and lays the code options on top. */
export function readPushgatewayConfig(env: EnvReader, options?: unknown): PushgatewayConfig {
  const code = validate(options);
  let endpoint = code.endpoint ?? env.string(`${P}ENDPOINT`) ?? 'http://localhost:9091';
  if (!/^https?:\/\/[^/]/.test(endpoint)) {
    env.invalid(`${P}ENDPOINT`, endpoint, 'an http(s) URL', 'http://localhost:9091');
    endpoint = 'http://localhost:9091';
  }
  const grouping: Record<string, string> = {};
  const rawGrouping = env.string(`${P}GROUPING`);
  if (rawGrouping !== undefined) {
    const { values, problems } = parseKeyValueList(rawGrouping);
    for (const problem of problems) env.warn(`invalid ${P}GROUPING: ${problem}; skipping that entry`);
    for (const [label, value] of Object.entries(values)) {
      if (LABEL.test(label) && label !== 'job') grouping[label] = value;
      else env.warn(`invalid ${P}GROUPING: ${JSON.stringify(label)} is not a usable label name; skipping that entry`);
    }
  }
  const headers = { ...env.headers(`${P}HEADERS`), ...lower(code.headers) };
  const username = code.username ?? env.string(`${P}USERNAME`);
  const password = code.password ?? env.string(`${P}PASSWORD`);
  if (username !== undefined || password !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64')}`;
  }
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    job: code.job ?? env.string(`${P}JOB`),
    grouping: { ...grouping, ...(code.grouping ?? {}) },
    headers,
    ca: pem(env, code.certificateFile, 'CERTIFICATE', 'the system trusted CAs'),
    key: pem(env, code.clientKeyFile, 'CLIENT_KEY', 'no client certificate'),
    cert: pem(env, code.clientCertificateFile, 'CLIENT_CERTIFICATE', 'no client certificate'),
  };
}

function lower(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function pem(env: EnvReader, fromCode: string | undefined, suffix: string, instead: string): Buffer | undefined {
  const name = `${P}${suffix}`;
  const file = fromCode ?? env.string(name);
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    if (fromCode !== undefined) throw new ConfigError(`cannot read prometheus/pushgateway ${suffix.toLowerCase()} file ${file}: ${(err as Error).message}`);
    env.warn(`cannot read ${name}=${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); using ${instead}`);
    return undefined;
  }
}
