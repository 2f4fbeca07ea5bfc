// Your own exporter as a plug-in: selected by OTEL_METRICS_EXPORTER=jsonl, delta temporality,
// its own variable OTEL_EXPORTER_JSONL_PRETTY. With the preload, register during your app's
// start-up; the name is bound on the next tick with the temporality it declares.
'use strict';
const { ExportResultCode } = require('@opentelemetry/core');
const { registerExporter, startMetrics } = require('otel-metrics-pipeline');

registerExporter({
  name: 'jsonl',
  kind: 'push',
  temporality: 'delta',
  readConfig: (env) => ({ pretty: env.bool('OTEL_EXPORTER_JSONL_PRETTY') }),
  create: (config) => ({
    export(resourceMetrics, done) {
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          for (const point of metric.dataPoints) {
            const line = { name: metric.descriptor.name, attributes: point.attributes, value: point.value };
            process.stdout.write(JSON.stringify(line, null, config.pretty ? 2 : 0) + '\n');
          }
        }
      }
      done({ code: ExportResultCode.SUCCESS });
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  }),
});

const handle = startMetrics({ env: { ...process.env, OTEL_METRICS_EXPORTER: 'jsonl' } });
handle.meterProvider.getMeter('example').createCounter('example.events').add(3, { kind: 'custom' });
