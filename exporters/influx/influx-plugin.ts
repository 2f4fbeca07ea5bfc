import { ConfigError } from '../../core/errors';
import type { ExporterPlugin } from '../plugin';
import type { InfluxConfig } from './influx-options';

/**
 * `OTEL_METRICS_EXPORTER=influxdb`: line protocol pushed to InfluxDB 1.x, 2.x or 3.x. Cumulative,
 * as the telegraf-prometheus schema expects (a counter field holds the running total).
 */
export const influxPlugin: ExporterPlugin<InfluxConfig> = {
  name: 'influxdb',
  kind: 'push',
  // Its modules load only when it is selected: an app without InfluxDB pays nothing for it.
  readConfig: (env, options) => (require('./influx-config') as typeof import('./influx-config')).readInfluxConfig(env, options),
  temporality: 'cumulative',
  create: (config, context) => {
    // readConfig already printed one line per missing setting.
    if (config.missing.length > 0) throw new ConfigError(`influxdb needs ${config.missing.join(' and ')}`);
    return new (require('./influx-exporter') as typeof import('./influx-exporter')).InfluxMetricExporter(config, undefined, context.name, context.log);
  },
};
