import type { ExporterPlugin } from '../plugin';

/** `OTEL_METRICS_EXPORTER=console`: one readable line per data point on stdout, cumulative. */
export const consolePlugin: ExporterPlugin<undefined> = {
  name: 'console',
  kind: 'push',
  temporality: 'cumulative',
  create: () => new (require('./console-exporter') as typeof import('./console-exporter')).ConsoleMetricExporter(),
};
