import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EnvReader } from '../../core/env-reader';
import { headerProblem } from '../../core/header-rules';
import { HISTOGRAM_AGGREGATIONS, type HistogramAggregation } from '../../core/histogram-aggregation';
import { keyMatchesCert, pemProblem, type PemKind } from '../../core/pem-problem';
import { TEMPORALITY_PREFERENCES, type TemporalityPreference } from '../../core/temporality';
import { ConfigError } from '../../core/errors';
import { redact } from '../../core/redact';
import { OTLP_PROTOCOLS, type OtlpOptions, type OtlpProtocol } from './otlp-options';

/** OTLP settings after env and code options are merged; what the OTLP exporter is built from. */
export interface OtlpConfig {
  protocol: OtlpProtocol;
  /** Full URL: for HTTP including the path, for gRPC `http(s)://host:port`. */
  url: string;
  headers: Record<string, string>;
  timeoutMillis: number;
  compression: 'gzip' | 'none';
  ca?: Buffer;
  key?: Buffer;
  cert?: Buffer;
  temporalityPreference: TemporalityPreference;
  histogramAggregation: HistogramAggregation;
}

const SPECIFIC = 'OTEL_EXPORTER_OTLP_METRICS_';
const GENERIC = 'OTEL_EXPORTER_OTLP_';
const both = (suffix: string): string[] => [SPECIFIC + suffix, GENERIC + suffix];

/** Default per-request OTLP timeout in ms (spec). */
export const DEFAULT_OTLP_TIMEOUT_MILLIS = 10_000;

/** The OTLP exporters' choice of temporality and histogram aggregation (also read by `otlp/stdout`). */
export function readOtlpSelectors(env: EnvReader, options: OtlpOptions = {}): Pick<OtlpConfig, 'temporalityPreference' | 'histogramAggregation'> {
  if (options.temporalityPreference !== undefined && !TEMPORALITY_PREFERENCES.includes(options.temporalityPreference)) {
    throw new ConfigError(`temporalityPreference must be one of ${TEMPORALITY_PREFERENCES.join(', ')}`);
  }
  if (options.histogramAggregation !== undefined && !HISTOGRAM_AGGREGATIONS.includes(options.histogramAggregation)) {
    throw new ConfigError(`histogramAggregation must be one of ${HISTOGRAM_AGGREGATIONS.join(', ')}`);
  }
  return {
    temporalityPreference: options.temporalityPreference
      ?? env.oneOf('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', TEMPORALITY_PREFERENCES, 'cumulative'),
    histogramAggregation: options.histogramAggregation
      ?? env.oneOf('OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION', HISTOGRAM_AGGREGATIONS, 'explicit_bucket_histogram'),
  };
}

/** Resolves OTLP settings: code options, then the signal-specific variable, then the generic one, then spec defaults. */
export function readOtlpConfig(env: EnvReader, options: OtlpOptions = {}): OtlpConfig {
  if (options === null || typeof options !== 'object') throw new ConfigError('otlp options must be an object');
  validateOptions(options);
  const protocol = options.protocol ?? env.oneOf(both('PROTOCOL'), OTLP_PROTOCOLS, 'http/protobuf');
  const insecure = options.insecure ?? insecureFromEnv(env);
  const timeoutMillis = options.timeoutMillis ?? env.millis(both('TIMEOUT'), DEFAULT_OTLP_TIMEOUT_MILLIS);
  const compression = options.compression ?? env.oneOf(both('COMPRESSION'), ['gzip', 'none'] as const, 'none');
  const rules = protocol === 'grpc' ? 'grpc' : 'http';
  const headers = { ...env.headersFor(rules, GENERIC + 'HEADERS', SPECIFIC + 'HEADERS'), ...codeHeaders(options.headers, rules) };
  const url = options.endpoint !== undefined
    ? normalizeUrl(options.endpoint, protocol, insecure)
    : urlFromEnv(env, protocol, insecure);
  const ca = pem(env, options.certificateFile, 'CERTIFICATE', 'ca', 'the system trusted CAs');
  let key = pem(env, options.clientKeyFile, 'CLIENT_KEY', 'key', 'no client certificate');
  let cert = pem(env, options.clientCertificateFile, 'CLIENT_CERTIFICATE', 'cert', 'no client certificate');
  if ((key === undefined) !== (cert === undefined)) {
    env.warn(`${GENERIC}[METRICS_]CLIENT_KEY and CLIENT_CERTIFICATE must be set together for mTLS; only one is usable; using no client certificate`);
    key = cert = undefined;
  } else if (key && cert && !keyMatchesCert(key, cert)) {
    if (options.clientKeyFile !== undefined) throw new ConfigError('otlp.clientKeyFile does not belong to otlp.clientCertificateFile');
    env.warn(`${GENERIC}[METRICS_]CLIENT_KEY does not belong to CLIENT_CERTIFICATE (the key does not match the certificate's public key); using no client certificate`);
    key = cert = undefined;
  }
  return { protocol, url, headers, timeoutMillis, compression, ca, key, cert, ...readOtlpSelectors(env, options) };
}

function insecureFromEnv(env: EnvReader): boolean {
  const found = env.first(...both('INSECURE'));
  return found ? env.bool(found.name) : false;
}

function urlFromEnv(env: EnvReader, protocol: OtlpProtocol, insecure: boolean): string {
  const fallback = protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318/v1/metrics';
  const found = env.first(...both('ENDPOINT'));
  if (!found) return fallback;
  const url = tryNormalize(found.value, protocol, insecure);
  if (url === undefined) {
    env.invalid(found.name, redact.url(found.value), 'an absolute http:// or https:// URL', fallback);
    return fallback;
  }
  // Only the generic variable gets the signal path appended, to the path and not inside a query;
  // the specific one is used as given (spec).
  return protocol !== 'grpc' && found.name === GENERIC + 'ENDPOINT' ? withSignalPath(url) : url;
}

function withSignalPath(href: string): string {
  const url = new URL(href);
  url.pathname = url.pathname.replace(/\/?$/, '/v1/metrics');
  return url.href;
}

function normalizeUrl(endpoint: string, protocol: OtlpProtocol, insecure: boolean): string {
  const url = tryNormalize(endpoint, protocol, insecure);
  if (url === undefined) throw new ConfigError(`otlp.endpoint ${JSON.stringify(redact.url(endpoint))} is not an absolute http:// or https:// URL`);
  return url;
}

function tryNormalize(raw: string, protocol: OtlpProtocol, insecure: boolean): string | undefined {
  // gRPC endpoints are often written host:port; the spec's INSECURE flag then picks the scheme.
  const withScheme = protocol === 'grpc' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)
    ? `${insecure ? 'http' : 'https'}://${raw}`
    : raw;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return protocol === 'grpc' ? `${url.protocol}//${url.host}` : url.href;
  } catch {
    return undefined;
  }
}

function pem(env: EnvReader, fromCode: string | undefined, suffix: string, kind: PemKind, instead: string): Buffer | undefined {
  const found = fromCode !== undefined ? { name: `otlp option for ${suffix}`, value: fromCode } : env.first(...both(suffix));
  if (!found) return undefined;
  let data: Buffer;
  try {
    data = readFileSync(resolve(found.value));
  } catch (err) {
    if (fromCode !== undefined) throw new ConfigError(`cannot read ${found.value}: ${(err as Error).message}`);
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    env.warn(`cannot read ${found.name}=${JSON.stringify(found.value)} (${reason}); using ${instead}`);
    return undefined;
  }
  const problem = pemProblem(kind, data);
  if (problem === undefined) return data;
  if (fromCode !== undefined) throw new ConfigError(`${found.value} is not usable: ${problem}`);
  env.warn(`unusable ${found.name}=${JSON.stringify(found.value)}: ${problem}; using ${instead}`);
  return undefined;
}

// Code headers break the same rules as env ones, but throw: a name that is not a token is not
// printed (it may be a pasted `Authorization: Bearer …`), a value never is.
function codeHeaders(headers: Record<string, string> | undefined, rules: 'http' | 'grpc'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const problem = typeof v === 'string' ? headerProblem(k, v, rules) : 'its value is not a string';
    if (problem) {
      const which = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(k) ? JSON.stringify(k) : 'with an invalid name';
      throw new ConfigError(`otlp.headers: the header ${which} cannot be sent${rules === 'grpc' ? ' over gRPC' : ''}: ${problem}`);
    }
    out[k.toLowerCase()] = v;
  }
  return out;
}

function validateOptions(o: OtlpOptions): void {
  if (o.protocol !== undefined && !OTLP_PROTOCOLS.includes(o.protocol)) {
    throw new ConfigError(`otlp.protocol must be one of ${OTLP_PROTOCOLS.join(', ')}, got ${JSON.stringify(o.protocol)}`);
  }
  if (o.timeoutMillis !== undefined && !(Number.isInteger(o.timeoutMillis) && o.timeoutMillis > 0)) {
    throw new ConfigError(`otlp.timeoutMillis must be a whole number > 0, got ${o.timeoutMillis}`);
  }
  if (o.compression !== undefined && o.compression !== 'gzip' && o.compression !== 'none') {
    throw new ConfigError(`otlp.compression must be "gzip" or "none", got ${JSON.stringify(o.compression)}`);
  }
}
