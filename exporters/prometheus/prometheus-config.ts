import type { EnvReader } from '../../src/config/env-reader';
import { ConfigError } from '../../src/errors';

/** Prometheus pull endpoint options; each overrides its env var. */
export interface PrometheusOptions {
  /** Interface to listen on; env `OTEL_EXPORTER_PROMETHEUS_HOST`; default `localhost`. */
  host?: string;
  /** Port to listen on; env `OTEL_EXPORTER_PROMETHEUS_PORT`; default 9464. */
  port?: number;
}

/** Where the `/metrics` endpoint listens. */
export interface PrometheusConfig {
  host: string;
  port: number;
}

/** Reads `OTEL_EXPORTER_PROMETHEUS_HOST` and `_PORT` (spec defaults `localhost`, 9464); code options win. */
export function readPrometheusConfig(env: EnvReader, options: PrometheusOptions = {}): PrometheusConfig {
  if (options === null || typeof options !== 'object') throw new ConfigError('prometheus options must be an object');
  const port = options.port;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new ConfigError(`prometheus.port must be 1-65535, got ${port}`);
  }
  if (options.host !== undefined && (typeof options.host !== 'string' || options.host.trim() === '')) {
    throw new ConfigError(`prometheus.host must be a host name or address, got ${JSON.stringify(options.host)}`);
  }
  return {
    host: options.host ?? env.string('OTEL_EXPORTER_PROMETHEUS_HOST') ?? 'localhost',
    port: port ?? env.port('OTEL_EXPORTER_PROMETHEUS_PORT', 9464),
  };
}
