// The same pipeline from code: options mirror the OTEL_* variables and override them.
'use strict';
const { startMetrics } = require('otel-metrics-pipeline');

const handle = startMetrics({
  serviceName: 'programmatic-example',
  exporters: ['console'],
  exportIntervalMillis: 1000,
});

const meter = handle.meterProvider.getMeter('example');
const jobs = meter.createCounter('example.jobs', { unit: '{job}' });
let n = 0;
const timer = setInterval(() => {
  jobs.add(1, { outcome: n % 4 === 0 ? 'failed' : 'ok' });
  if (++n === 5) {
    clearInterval(timer);
    // Before an explicit process.exit(), flush: exit listeners cannot wait for the network.
    handle.shutdown().then(() => process.exit(0));
  }
}, 300);
