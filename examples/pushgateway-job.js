// A batch job that pushes its final values to a Prometheus Pushgateway when it ends.
// Run:  OTEL_METRICS_EXPORTER=prometheus/pushgateway \
//       OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_ENDPOINT=http://localhost:9091 \
//       OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_JOB=nightly-import \
//       OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_GROUPING=instance=$(hostname),source=/data/in \
//       node --require otel-metrics-pipeline/register examples/pushgateway-job.js
// then: curl -s localhost:9091/metrics | grep import_
'use strict';
const { metrics } = require('@opentelemetry/api');

const meter = metrics.getMeter('nightly-import', '1.0.0');
const rows = meter.createCounter('import.rows', { unit: '{row}', description: 'Rows imported' });
// Boundaries in seconds, around what an import takes: the SDK's default ones (0 … 10000) suit
// milliseconds and would put any run under 5 s in one bucket.
const duration = meter.createHistogram('import.duration', {
  unit: 's',
  description: 'Time the import took',
  advice: { explicitBucketBoundaries: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300] },
});

const started = performance.now();
for (let i = 0; i < 1000; i++) rows.add(1, { table: i % 2 ? 'orders' : 'customers' });
duration.record((performance.now() - started) / 1000);
// Nothing else to do: the pipeline pushes once more at exit, so the job's final values stay
// on the Pushgateway (import_rows_total, import_duration_seconds_*) for Prometheus to scrape.
