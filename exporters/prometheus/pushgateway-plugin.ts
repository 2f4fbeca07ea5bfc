import type { ExporterPlugin } from '../plugin';
import { readPushgatewayConfig, type PushgatewayConfig } from './pushgateway-config';

/**
 * `OTEL_METRICS_EXPORTER=prometheus/pushgateway`: for batch jobs and cron scripts. Pushes on
 * every export interval and once more at shutdown (the pipeline's final flush), through the
 * delivery chain (timeout, retry, fallback, queue).
 */
export const pushgatewayPlugin: ExporterPlugin<PushgatewayConfig> = {
  name: 'prometheus/pushgateway',
  kind: 'push',
  readConfig: (env, options) => readPushgatewayConfig(env, options),
  temporality: 'cumulative',
  create: (config, context) => {
    const { PushgatewayExporter } = require('./pushgateway-exporter') as typeof import('./pushgateway-exporter');
    return new PushgatewayExporter(config, context.exportTimeoutMillis);
  },
};
