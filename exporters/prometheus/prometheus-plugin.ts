import type { ExporterPlugin } from '../plugin';
import { readPrometheusConfig, type PrometheusConfig } from './prometheus-config';

/**
 * `OTEL_METRICS_EXPORTER=prometheus`: our own pull reader on `http(s)://HOST:PORT/metrics`
 * (text 0.0.4 or OpenMetrics by `Accept`, optional auth and TLS). Cumulative, as the spec requires.
 */
export const prometheusPlugin: ExporterPlugin<PrometheusConfig> = {
  name: 'prometheus',
  kind: 'pull',
  readConfig: (env, options) => readPrometheusConfig(env, options),
  temporality: 'cumulative',
  create: (config) => {
    const { PrometheusPullReader } = require('./prometheus-pull-reader') as typeof import('./prometheus-pull-reader');
    return new PrometheusPullReader(config);
  },
};
