import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { warn } from '../../src/diag';
import type { PrometheusConfig } from './prometheus-config';

/**
 * The upstream Prometheus pull reader on `OTEL_EXPORTER_PROMETHEUS_HOST:PORT/metrics`. We start
 * its (unref'd) server ourselves so a busy port is one clear line, not an unhandled error.
 */
export function createPrometheusReader(config: PrometheusConfig): MetricReader {
  const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus') as typeof import('@opentelemetry/exporter-prometheus');
  const { host, port } = config;
  const reader = new PrometheusExporter({ host, port, preventServerStart: true });
  reader.startServer().catch((err: NodeJS.ErrnoException) => {
    warn(`cannot serve Prometheus metrics on ${host}:${port} (${err.code ?? err.message}); the prometheus exporter is off, the other exporters keep working`);
  });
  return reader;
}
