import type { EnvReader } from '../../core/env-reader';
import { ConfigError } from '../../core/errors';

/** How gauges from several cluster workers become one answer: one series per worker (`label`), or one combined series. */
export type GaugeAggregation = 'label' | 'sum' | 'min' | 'max' | 'last';

const METHODS: readonly GaugeAggregation[] = ['label', 'sum', 'min', 'max', 'last'];

/** Code options for `node:cluster` and `worker_threads`; each field overrides the env var it names. */
export interface ClusterOptions {
  /** In a cluster, the primary alone serves Prometheus and gathers every worker's metrics over IPC; env `OTEL_METRICS_CLUSTER` (`on`/`off`); default on. */
  aggregate?: boolean;
  /** How long a scrape waits for the workers' answers, in ms; env `OTEL_METRICS_CLUSTER_SCRAPE_TIMEOUT`; default 1000. */
  scrapeTimeoutMillis?: number;
  /** Gauge aggregation across workers: one method, or per instrument name (`*` for the rest); env `OTEL_METRICS_CLUSTER_GAUGE_AGGREGATION`; default `label`. */
  gaugeAggregation?: GaugeAggregation | Record<string, GaugeAggregation>;
  /** Start the `system` producer in the primary only (host figures once); env `OTEL_METRICS_CLUSTER_SYSTEM_ONCE`; default true. */
  systemOnce?: boolean;
  /** Give worker threads a light provider whose points reach this pipeline; env `OTEL_METRICS_THREADS` (`on`/`off`); default on. */
  threads?: boolean;
}

/** The resolved cluster and thread settings. */
export interface ClusterConfig {
  aggregate: boolean;
  scrapeTimeoutMillis: number;
  /** Instrument name (or `*`) to method. */
  gaugeAggregation: Record<string, GaugeAggregation>;
  systemOnce: boolean;
  threads: boolean;
}

/** Reads `OTEL_METRICS_CLUSTER*` and `OTEL_METRICS_THREADS` and lays the code options on top; bad code options throw ConfigError. */
export function readClusterConfig(env: EnvReader, options: ClusterOptions = {}): ClusterConfig {
  if (options.scrapeTimeoutMillis !== undefined && !(Number.isInteger(options.scrapeTimeoutMillis) && options.scrapeTimeoutMillis > 0)) {
    throw new ConfigError('cluster.scrapeTimeoutMillis must be a whole number of milliseconds > 0');
  }
  return {
    aggregate: options.aggregate ?? onOff(env, 'OTEL_METRICS_CLUSTER'),
    scrapeTimeoutMillis: options.scrapeTimeoutMillis ?? env.millis('OTEL_METRICS_CLUSTER_SCRAPE_TIMEOUT', 1000),
    gaugeAggregation: options.gaugeAggregation !== undefined ? fromCode(options.gaugeAggregation) : fromEnv(env),
    systemOnce: options.systemOnce ?? env.bool('OTEL_METRICS_CLUSTER_SYSTEM_ONCE', true),
    threads: options.threads ?? onOff(env, 'OTEL_METRICS_THREADS'),
  };
}

function onOff(env: EnvReader, name: string): boolean {
  const value = env.string(name)?.toLowerCase();
  if (value === undefined || value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  env.invalid(name, value, 'on or off', 'on');
  return true;
}

function fromCode(option: GaugeAggregation | Record<string, GaugeAggregation>): Record<string, GaugeAggregation> {
  const map = typeof option === 'string' ? { '*': option } : option;
  for (const [name, method] of Object.entries(map)) {
    if (!METHODS.includes(method)) throw new ConfigError(`cluster.gaugeAggregation${typeof option === 'string' ? '' : `[${JSON.stringify(name)}]`} must be one of ${METHODS.join(', ')}`);
  }
  return { '*': 'label', ...map };
}

// `max`, or `queue.depth=sum,pool.size=max,*=label`.
function fromEnv(env: EnvReader): Record<string, GaugeAggregation> {
  const name = 'OTEL_METRICS_CLUSTER_GAUGE_AGGREGATION';
  const map: Record<string, GaugeAggregation> = { '*': 'label' };
  for (const entry of env.list(name) ?? []) {
    const eq = entry.lastIndexOf('=');
    const key = eq < 0 ? '*' : entry.slice(0, eq).trim();
    const method = (eq < 0 ? entry : entry.slice(eq + 1)).trim().toLowerCase() as GaugeAggregation;
    if (key !== '' && METHODS.includes(method)) map[key] = method;
    else env.invalid(name, entry, `a method (${METHODS.join(', ')}) or name=method`, `label for ${key || 'it'}`);
  }
  return map;
}
