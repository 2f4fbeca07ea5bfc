// The app bench/delivery-exit.js times: records a few points and ends, printing the time as
// its last act. Usage:
//   node --require ./dist/preload/register.js bench/exit-app.js ours [keep-running]
//   node bench/exit-app.js upstream [keep-running]
//   node bench/exit-app.js none          (no SDK: the baseline cost of ending a node process)
// `ours` is configured by the preload from OTEL_* variables. `upstream` is what upstream's docs
// show: exporter-metrics-otlp-http (endpoint from OTEL_EXPORTER_OTLP_ENDPOINT) in a
// PeriodicExportingMetricReader with default settings, and `await meterProvider.shutdown()` at
// exit. With `keep-running` it records every 100 ms until killed (the recovery measurement).
'use strict';
const { performance } = require('node:perf_hooks');
const api = require('@opentelemetry/api');

const [variant, mode] = process.argv.slice(2);
let meterProvider;
if (variant === 'upstream') {
  const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
  const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-http');
  // Only the recovery measurement sets the interval; otherwise upstream's defaults (60 s, 30 s timeout).
  const interval = process.env.BENCH_EXPORT_INTERVAL_MILLIS;
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter(),
    ...(interval ? { exportIntervalMillis: Number(interval) } : {}),
  });
  meterProvider = new MeterProvider({ readers: [reader] });
  api.metrics.setGlobalMeterProvider(meterProvider);
} else if (variant !== 'ours' && variant !== 'none') {
  throw new Error(`usage: exit-app.js ours|upstream|none [keep-running], got ${variant}`);
}

const meter = api.metrics.getMeter('bench-exit-app');
const requests = meter.createCounter('bench.app.requests');
const duration = meter.createHistogram('bench.app.duration', { unit: 'ms' });
const record = () => {
  for (let i = 0; i < 5; i++) {
    requests.add(1, { route: `/r${i}` });
    duration.record(3 * i, { route: `/r${i}` });
  }
};

record();
if (mode === 'keep-running') {
  setInterval(record, 100);
} else {
  // The app's work is done: from here on, every millisecond is the telemetry's exit cost.
  process.stdout.write(`end ${performance.timeOrigin + performance.now()}\n`);
  if (meterProvider) {
    (async () => { await meterProvider.shutdown(); })().catch((err) => process.stderr.write(`shutdown failed: ${err.message}\n`));
  }
}
