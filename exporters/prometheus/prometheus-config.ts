import type { EnvReader } from '../../core/env-reader';
import { ConfigError } from '../../core/errors';
import { DEFAULT_MAX_CONNECTIONS } from '../../core/server-guard';
import type { PrometheusReaderOptions, PrometheusTlsOptions } from './prometheus-pull-reader';
import { TRANSLATION_STRATEGIES, type TranslationStrategy } from './translation-strategy';

/** Code options of the `prometheus` exporter (each overrides its env variable): {@link PrometheusReaderOptions} without the SDK hooks. */
export type PrometheusOptions = Omit<PrometheusReaderOptions, 'preventServerStart' | 'aggregationSelector' | 'warn' | 'metricProducers'>;

/** The resolved configuration of the `prometheus` exporter. */
export type PrometheusConfig = PrometheusReaderOptions & { host: string; port: number };

const P = 'OTEL_EXPORTER_PROMETHEUS_';

function check(cond: boolean, option: string, expected: string, value: unknown): void {
  if (!cond) throw new ConfigError(`prometheus.${option} must be ${expected}, got ${JSON.stringify(value)}`);
}

/** Throws ConfigError naming the first bad code option. */
export function validatePrometheusOptions(options: unknown): PrometheusOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw new ConfigError('prometheus options must be an object');
  const o = options as Record<string, unknown>;
  const optStr = (k: string) => check(o[k] === undefined || typeof o[k] === 'string', k, 'a string', o[k]);
  const optBool = (k: string) => check(o[k] === undefined || typeof o[k] === 'boolean', k, 'a boolean', o[k]);
  optStr('host');
  optStr('endpoint');
  optStr('bearerToken');
  optBool('withoutScopeInfo');
  optBool('withoutTargetInfo');
  check(o.port === undefined || (Number.isInteger(o.port) && (o.port as number) > 0 && (o.port as number) < 65536), 'port', 'a port number 1-65535', o.port);
  check(o.maxConnections === undefined || (Number.isInteger(o.maxConnections) && (o.maxConnections as number) > 0), 'maxConnections', 'a whole number > 0', o.maxConnections);
  check(o.host === undefined || (o.host as string).trim() !== '', 'host', 'a host name or address', o.host);
  check(o.endpoint === undefined || (o.endpoint as string).startsWith('/'), 'endpoint', 'a path starting with /', o.endpoint);
  check(o.compression === undefined || o.compression === 'gzip' || o.compression === 'none', 'compression', '"gzip" or "none"', o.compression);
  check(o.translationStrategy === undefined || TRANSLATION_STRATEGIES.includes(o.translationStrategy as TranslationStrategy), 'translationStrategy', `one of ${TRANSLATION_STRATEGIES.join(', ')}`, o.translationStrategy);
  const users = o.basicAuthUsers;
  check(users === undefined || (typeof users === 'object' && users !== null && Object.values(users).every((v) => typeof v === 'string')), 'basicAuthUsers', 'an object of user name to password or bcrypt hash', '(not shown)');
  check(o.tls === undefined || (typeof o.tls === 'object' && o.tls !== null), 'tls', 'an object', o.tls);
  return o as PrometheusOptions;
}

/**
 * Reads the `OTEL_EXPORTER_PROMETHEUS_*` variables (bad values: one line each, then the
 * default) and lays the code options on top. Secrets are never part of a line.
 */
export function readPrometheusConfig(env: EnvReader, options?: unknown): PrometheusConfig {
  const code = validatePrometheusOptions(options);
  const strategyValue = env.string(`${P}TRANSLATION_STRATEGY`);
  let strategy = TRANSLATION_STRATEGIES.find((s) => s.toLowerCase() === strategyValue?.toLowerCase());
  if (strategyValue !== undefined && strategy === undefined) {
    env.invalid(`${P}TRANSLATION_STRATEGY`, strategyValue, `one of ${TRANSLATION_STRATEGIES.join(', ')}`, TRANSLATION_STRATEGIES[0]!);
  }
  strategy ??= TRANSLATION_STRATEGIES[0];
  const fromEnv: PrometheusConfig = {
    host: env.string(`${P}HOST`) ?? 'localhost',
    port: env.port(`${P}PORT`, 9464),
    maxConnections: env.count(`${P}MAX_CONNECTIONS`, DEFAULT_MAX_CONNECTIONS),
    translationStrategy: strategy,
    withoutScopeInfo: env.bool(`${P}WITHOUT_SCOPE_INFO`),
    withoutTargetInfo: env.bool(`${P}WITHOUT_TARGET_INFO`),
    compression: env.oneOf(`${P}COMPRESSION`, ['gzip', 'none'] as const, 'gzip'),
    bearerToken: env.string(`${P}BEARER_TOKEN`),
  };
  const user = env.string(`${P}BASIC_AUTH_USERNAME`);
  const password = env.string(`${P}BASIC_AUTH_PASSWORD`);
  if (user !== undefined && password !== undefined) fromEnv.basicAuthUsers = { [user]: password };
  else if (user !== undefined || password !== undefined) {
    const missing = user === undefined ? `${P}BASIC_AUTH_USERNAME` : `${P}BASIC_AUTH_PASSWORD`;
    env.warn(`${missing} is not set but its pair is; every scrape is refused (401) until both are set`);
    // Fail closed: a half-configured protection must not serve metrics to anyone.
    fromEnv.basicAuthUsers = { '\u0000': '\u0000locked' };
  }
  const tls: PrometheusTlsOptions = {
    certFile: env.string(`${P}TLS_CERT_FILE`),
    keyFile: env.string(`${P}TLS_KEY_FILE`),
    clientCaFile: env.string(`${P}TLS_CLIENT_CA_FILE`),
  };
  if (tls.certFile || tls.keyFile || tls.clientCaFile) fromEnv.tls = tls;
  const merged: PrometheusConfig = { ...fromEnv };
  for (const [k, v] of Object.entries(code)) if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
  return merged;
}
