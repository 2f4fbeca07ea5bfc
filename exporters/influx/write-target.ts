import type { InfluxApi, InfluxConfig } from './influx-options';
import type { Precision } from './precision';

// The same precision is spelled differently per API, and InfluxDB 1.x takes any unknown value
// (`ns`, `us`) as nanoseconds without a word: the translation must be exact.
const PRECISION_PARAM: Record<InfluxApi, Record<Precision, string>> = {
  v1: { ns: 'n', us: 'u', ms: 'ms', s: 's' },
  v2: { ns: 'ns', us: 'us', ms: 'ms', s: 's' },
  v3: { ns: 'nanosecond', us: 'microsecond', ms: 'millisecond', s: 'second' },
};

/** The `precision` query value for `precision` on `api`. */
export function precisionParam(api: InfluxApi, precision: Precision): string {
  return PRECISION_PARAM[api][precision];
}

/** Where and how to POST line protocol. */
export interface WriteTarget {
  /** Full write URL with its query. */
  url: string;
  /** The Authorization header, if any; a secret, never logged. */
  headers: Record<string, string>;
  /** Names the endpoint in messages: URL without query or credentials. */
  destination: string;
}

/**
 * Builds the write request for the configured API:
 * v1 `/write?db=&rp=&precision=` with basic auth (or `Token` for 2.x/3.x compatibility endpoints),
 * v2 `/api/v2/write?org=&bucket=&precision=` with `Token`, v3 `/api/v3/write_lp?db=&precision=` with `Bearer`.
 */
export function writeTarget(config: InfluxConfig): WriteTarget {
  const params = new URLSearchParams();
  let path: string;
  if (config.api === 'v1') {
    path = '/write';
    params.set('db', config.database ?? '');
    if (config.retentionPolicy !== undefined) params.set('rp', config.retentionPolicy);
  } else if (config.api === 'v2') {
    path = '/api/v2/write';
    params.set('org', config.org ?? '');
    params.set('bucket', config.bucket ?? '');
  } else {
    path = '/api/v3/write_lp';
    params.set('db', config.database ?? '');
  }
  params.set('precision', precisionParam(config.api, config.precision));
  const headers: Record<string, string> = {};
  if (config.token !== undefined) {
    headers.authorization = `${config.api === 'v3' ? 'Bearer' : 'Token'} ${config.token}`;
  } else if (config.username !== undefined && config.password !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
  }
  return { url: `${config.endpoint}${path}?${params}`, headers, destination: `influxdb ${config.endpoint}${path}` };
}
