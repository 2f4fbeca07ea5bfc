// Register your own push exporter by name, then pick it with OTEL_METRICS_EXPORTER=jsonl
// (with the preload, register during your app's start-up; the name is bound on first export).
'use strict';
const { ExportResultCode } = require('@opentelemetry/core');
const { AggregationTemporality } = require('@opentelemetry/sdk-metrics');
const { registerExporter, startMetrics } = require('otel-metrics-pipeline');

registerExporter('jsonl', () => ({
  export(resourceMetrics, done) {
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        for (const point of metric.dataPoints) {
          process.stdout.write(JSON.stringify({ name: metric.descriptor.name, attributes: point.attributes, value: point.value }) + '\n');
        }
      }
    }
    done({ code: ExportResultCode.SUCCESS });
  },
  selectAggregationTemporality: () => AggregationTemporality.DELTA,
  forceFlush: async () => {},
  shutdown: async () => {},
}));

const handle = startMetrics({ env: { ...process.env, OTEL_METRICS_EXPORTER: 'jsonl' } });
handle.meterProvider.getMeter('example').createCounter('example.events').add(3, { kind: 'custom' });
