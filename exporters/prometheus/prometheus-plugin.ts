import type { ExporterPlugin } from '../plugin';
import { readPrometheusConfig, type PrometheusConfig, type PrometheusOptions } from './prometheus-config';

/** `OTEL_METRICS_EXPORTER=prometheus`: a pull endpoint on `http://HOST:PORT/metrics`. */
export const prometheusPlugin: ExporterPlugin<PrometheusConfig> = {
  name: 'prometheus',
  kind: 'pull',
  readConfig: (env, options) => readPrometheusConfig(env, options as PrometheusOptions | undefined),
  temporality: 'cumulative',
  create: (config) => (require('./prometheus-reader') as typeof import('./prometheus-reader')).createPrometheusReader(config),
};
