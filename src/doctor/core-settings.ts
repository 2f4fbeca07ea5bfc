import { LOG_LEVELS } from '../../core/diag';
import type { ResolvedConfig } from '../config/resolve-config';
import type { MetricsOptions } from '../metrics-options';
import type { Setting } from './doctor-report';
import type { EnvRead } from './read-config';
import { redact } from '../../core/redact';
import { settingSource } from './setting-source';

const ms = (n: number): string => `${n} ms`;

/** The core settings (everything but the exporters' own), one per line, with their sources. */
export function coreSettings(c: ResolvedConfig, o: MetricsOptions, reads: readonly EnvRead[], problems: readonly string[], instrumentations: readonly string[]): Setting[] {
  const row = (name: string, value: string, vars: string[], fromCode: boolean): Setting => ({ name, value, ...settingSource(reads, vars, problems, fromCode) });
  const level = Object.entries(LOG_LEVELS).find(([, v]) => v === c.logLevel)?.[0] ?? String(c.logLevel);
  const attrs = Object.keys(c.resourceAttributes).filter((k) => k !== 'service.name');
  const retry = c.delivery.retry;
  const queue = c.delivery.queue;
  const fallback = c.delivery.fallbackExporter;
  // Each attempt gets the timeout as given; the SDK reader's own bound is capped at the interval.
  const exportTimeout = row('exportTimeoutMillis', ms(c.attemptTimeoutMillis), ['OTEL_METRIC_EXPORT_TIMEOUT'], o.exportTimeoutMillis !== undefined);
  if (c.exportTimeoutMillis < c.attemptTimeoutMillis) exportTimeout.note ??= `per attempt; collection is bounded by the interval (${ms(c.exportTimeoutMillis)})`;
  const rows: Setting[] = [
    row('disabled', String(c.disabled), ['OTEL_SDK_DISABLED'], o.disabled !== undefined),
    row('logLevel', level, ['OTEL_LOG_LEVEL'], o.logLevel !== undefined),
    serviceName(c, o, reads, problems),
    row('resourceAttributes', attrs.length ? `${attrs.map((k) => `${k}=${redact.mask}`).join(', ')} (values not shown: they can carry tokens)` : 'none', ['OTEL_RESOURCE_ATTRIBUTES'], o.resourceAttributes !== undefined),
    row('exporters', c.exporters.length ? c.exporters.map((e) => (typeof e === 'string' ? e : 'an instance')).join(', ') : 'none', ['OTEL_METRICS_EXPORTER'], o.exporters !== undefined),
    row('exportIntervalMillis', ms(c.exportIntervalMillis), ['OTEL_METRIC_EXPORT_INTERVAL'], o.exportIntervalMillis !== undefined),
    exportTimeout,
    row('shutdownTimeoutMillis', ms(c.shutdownTimeoutMillis), ['OTEL_METRICS_SHUTDOWN_TIMEOUT'], o.shutdownTimeoutMillis !== undefined),
    row('retry.initialIntervalMillis', retry ? ms(retry.initialIntervalMillis) : 'off', ['OTEL_METRICS_RETRY_INITIAL_INTERVAL'], o.retry !== undefined),
    row('retry.maxIntervalMillis', retry ? ms(retry.maxIntervalMillis) : 'off', ['OTEL_METRICS_RETRY_MAX_INTERVAL'], o.retry !== undefined),
    row('retry.maxElapsedTimeMillis', retry ? ms(retry.maxElapsedTimeMillis) + (retry.maxElapsedTimeMillis === 0 ? ' (retry off)' : '') : 'off', ['OTEL_METRICS_RETRY_MAX_ELAPSED_TIME'], o.retry !== undefined),
    row('queue.maxBatches', queue ? String(queue.maxBatches) : 'off', ['OTEL_METRICS_QUEUE_SIZE'], o.queue !== undefined),
    row('queue.maxBytes', queue ? String(queue.maxBytes) : 'off', ['OTEL_METRICS_QUEUE_MAX_BYTES'], o.queue !== undefined),
    row('queue.directory', queue?.directory ?? 'none (memory only)', ['OTEL_METRICS_QUEUE_DIR'], o.queue !== undefined),
    row('fallbackExporter', fallback === undefined ? 'none' : typeof fallback === 'string' ? fallback : 'an instance', ['OTEL_METRICS_FALLBACK_EXPORTER'], o.fallbackExporter !== undefined),
    row('fallbackFailureThreshold', String(c.delivery.fallbackFailureThreshold), ['OTEL_METRICS_FALLBACK_FAILURE_THRESHOLD'], o.fallbackFailureThreshold !== undefined),
    row('fallbackProbeIntervalMillis', ms(c.delivery.fallbackProbeIntervalMillis), ['OTEL_METRICS_FALLBACK_PROBE_INTERVAL'], o.fallbackProbeIntervalMillis !== undefined),
    row('selfObservability', String(c.selfObservability), ['OTEL_METRICS_SELF_OBSERVABILITY_DISABLED'], o.selfObservability !== undefined),
    row('instrumentations', instrumentations.length ? instrumentations.join(', ') : 'none', ['OTEL_METRICS_INSTRUMENTATIONS'], o.instrumentations !== undefined),
  ];
  return rows;
}

// service.name comes from OTEL_SERVICE_NAME, else from service.name in OTEL_RESOURCE_ATTRIBUTES.
function serviceName(c: ResolvedConfig, o: MetricsOptions, reads: readonly EnvRead[], problems: readonly string[]): Setting {
  const value = c.resourceAttributes['service.name'];
  if (value === undefined) return { name: 'serviceName', value: 'unknown_service:node', source: 'default', sourceKind: 'default' };
  const byName = settingSource(reads, ['OTEL_SERVICE_NAME'], problems, o.serviceName !== undefined);
  if (byName.sourceKind !== 'default') return { name: 'serviceName', value: String(value), ...byName };
  const fromAttrs = settingSource(reads, ['OTEL_RESOURCE_ATTRIBUTES'], problems, o.resourceAttributes?.['service.name'] !== undefined);
  return { name: 'serviceName', value: String(value), ...fromAttrs };
}
