// The app bench/delivery-scale.js runs: INSTRUMENTS counters × SERIES series recorded once,
// exporting every 2 s, alive for 3 s, then ending naturally; prints its CPU time at exit.
//   node --require ./dist/preload/register.js bench/scale-app.js ours
//   node bench/scale-app.js upstream   (exporter-metrics-otlp-http + PeriodicExportingMetricReader,
//                                       `await meterProvider.shutdown()` when the app is done)
'use strict';
const api = require('@opentelemetry/api');

const variant = process.argv[2];
let meterProvider;
if (variant === 'upstream') {
  const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
  const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-http');
  const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: 2000 });
  meterProvider = new MeterProvider({ readers: [reader] });
  api.metrics.setGlobalMeterProvider(meterProvider);
}
const meter = api.metrics.getMeter('bench-scale-app');
const instruments = Number(process.env.INSTRUMENTS ?? 1000);
const series = Number(process.env.SERIES ?? 10);
for (let i = 0; i < instruments; i++) {
  const c = meter.createCounter(`bench.scale.metric.${i}`);
  for (let j = 0; j < series; j++) c.add(j + 1, { series: j });
}
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`cpu ${(user + system) / 1000}\n`);
});
setTimeout(() => {
  if (meterProvider) meterProvider.shutdown().catch((err) => process.stderr.write(`shutdown failed: ${err.message}\n`));
}, 3000);
