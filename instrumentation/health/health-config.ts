import type { EnvReader } from '../../core/env-reader';
import { ConfigError } from '../../core/errors';
import { DEFAULT_MAX_CONNECTIONS } from '../../core/server-guard';
import { DEFAULT_HEALTH_THRESHOLDS, type HealthThresholds } from './health-report';

/** Code options of the health endpoint. */
export interface HealthOptions {
  /** Serve /healthz and /readyz on this port; default off (env `OTEL_METRICS_HEALTH_PORT`). */
  port?: number;
  /** Address to bind; default `127.0.0.1` (env `OTEL_METRICS_HEALTH_HOST`). */
  host?: string;
  /** Concurrent connections to the endpoint at most; more are closed on accept; default 64 (env `OTEL_METRICS_HEALTH_MAX_CONNECTIONS`). */
  maxConnections?: number;
  /** Check limits; each defaults as in DEFAULT_HEALTH_THRESHOLDS or its env variable. */
  thresholds?: Partial<HealthThresholds>;
}

/** Resolved health settings. */
export interface HealthConfig { port?: number; host: string; maxConnections: number; thresholds: HealthThresholds }

function ratio(env: EnvReader, name: string, fallback: number): number {
  const value = env.string(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (Number.isFinite(n) && n > 0 && n <= 1) return n;
  env.invalid(name, value, 'a number > 0 and <= 1', String(fallback));
  return fallback;
}

function checkOption(value: unknown, name: string, valid: (v: number) => boolean, expected: string): void {
  if (value !== undefined && !(typeof value === 'number' && valid(value))) throw new ConfigError(`health.${name} must be ${expected}`);
}

/** Reads `OTEL_METRICS_HEALTH_*` and lays the code options on top; bad code options throw ConfigError. */
export function readHealthConfig(env: EnvReader, options: HealthOptions = {}): HealthConfig {
  const t = options.thresholds ?? {};
  checkOption(options.port, 'port', (v) => Number.isInteger(v) && v >= 0 && v < 65536, 'a port number 0-65535');
  checkOption(options.maxConnections, 'maxConnections', (v) => Number.isInteger(v) && v > 0, 'a whole number > 0');
  checkOption(t.cpuUtilization, 'thresholds.cpuUtilization', (v) => v > 0 && v <= 1, 'a number > 0 and <= 1');
  checkOption(t.memoryUtilization, 'thresholds.memoryUtilization', (v) => v > 0 && v <= 1, 'a number > 0 and <= 1');
  checkOption(t.eventLoopP99Millis, 'thresholds.eventLoopP99Millis', (v) => v > 0, 'a number of milliseconds > 0');
  checkOption(t.exportStaleMillis, 'thresholds.exportStaleMillis', (v) => v > 0, 'a number of milliseconds > 0');
  const d = DEFAULT_HEALTH_THRESHOLDS;
  const envPort = env.string('OTEL_METRICS_HEALTH_PORT') === undefined ? undefined : env.port('OTEL_METRICS_HEALTH_PORT', 0);
  return {
    port: options.port ?? (envPort === 0 ? undefined : envPort),
    host: options.host ?? env.string('OTEL_METRICS_HEALTH_HOST') ?? '127.0.0.1',
    maxConnections: options.maxConnections ?? env.count('OTEL_METRICS_HEALTH_MAX_CONNECTIONS', DEFAULT_MAX_CONNECTIONS),
    thresholds: {
      cpuUtilization: t.cpuUtilization ?? ratio(env, 'OTEL_METRICS_HEALTH_CPU_THRESHOLD', d.cpuUtilization),
      memoryUtilization: t.memoryUtilization ?? ratio(env, 'OTEL_METRICS_HEALTH_MEMORY_THRESHOLD', d.memoryUtilization),
      eventLoopP99Millis: t.eventLoopP99Millis ?? env.millis('OTEL_METRICS_HEALTH_EVENTLOOP_P99_MILLIS', d.eventLoopP99Millis),
      exportStaleMillis: t.exportStaleMillis ?? env.millis('OTEL_METRICS_HEALTH_EXPORT_STALE_MILLIS', d.exportStaleMillis),
    },
  };
}
