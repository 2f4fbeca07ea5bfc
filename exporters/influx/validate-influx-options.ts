import { ConfigError } from '../../core/errors';
import { INFLUX_APIS, type InfluxOptions } from './influx-options';
import { PRECISIONS } from './precision';

const STRINGS = ['endpoint', 'database', 'retentionPolicy', 'org', 'bucket', 'token', 'username', 'password', 'certificateFile', 'clientKeyFile', 'clientCertificateFile'] as const;
const COUNTS = ['timeoutMillis', 'maxBatchLines', 'maxBatchBytes'] as const;
const KNOWN = new Set<string>([...STRINGS, ...COUNTS, 'api', 'precision', 'compression', 'resourceTags']);

/** Checks code options for the InfluxDB exporter; throws ConfigError naming the first bad option (never its secret value). */
export function validateInfluxOptions(options: unknown): InfluxOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw new ConfigError('influxdb options must be an object');
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) throw new ConfigError(`influxdb option ${key} is unknown; known: ${[...KNOWN].join(', ')}`);
  }
  for (const key of STRINGS) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === '')) throw new ConfigError(`influxdb option ${key} must be a non-empty string`);
  }
  for (const key of COUNTS) {
    const v = o[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v > 0)) throw new ConfigError(`influxdb option ${key} must be a whole number > 0, got ${String(v)}`);
  }
  oneOf(o, 'api', INFLUX_APIS);
  oneOf(o, 'precision', PRECISIONS);
  oneOf(o, 'compression', ['gzip', 'none']);
  const tags = o.resourceTags;
  if (tags !== undefined && tags !== '*' && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) {
    throw new ConfigError('influxdb option resourceTags must be an array of attribute keys or "*"');
  }
  return o as InfluxOptions;
}

function oneOf(o: Record<string, unknown>, key: string, allowed: readonly string[]): void {
  if (o[key] !== undefined && !allowed.includes(o[key] as string)) {
    throw new ConfigError(`influxdb option ${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(o[key])}`);
  }
}
