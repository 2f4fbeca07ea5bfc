import type { ExporterPlugin } from '../plugin';
import type { PrometheusConfig } from './prometheus-config';

/**
 * `OTEL_METRICS_EXPORTER=prometheus`: our own pull reader on `http(s)://HOST:PORT/metrics`
 * (text 0.0.4 or OpenMetrics by `Accept`, optional auth and TLS). Cumulative, as the spec requires.
 */
export const prometheusPlugin: ExporterPlugin<PrometheusConfig> = {
  name: 'prometheus',
  kind: 'pull',
  // Its modules load only when it is selected.
  readConfig: (env, options) => (require('./prometheus-config') as typeof import('./prometheus-config')).readPrometheusConfig(env, options),
  temporality: 'cumulative',
  create: (config, context) => {
    const { PrometheusPullReader } = require('./prometheus-pull-reader') as typeof import('./prometheus-pull-reader');
    // A cluster worker does not listen: the primary serves the whole cluster's metrics.
    return new PrometheusPullReader({ ...config, ...(context.serve === false ? { preventServerStart: true } : {}), metricProducers: context.metricProducers }, context.log);
  },
};
