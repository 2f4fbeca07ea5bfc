// The "minimal hand-written setup" alternative: what a careful user writes without this
// library. A MeterProvider with an OTLP (http/protobuf) periodic reader and a Prometheus reader,
// installed globally, flushed at natural exit. Dependencies as a user would install them (bench/package.json).
'use strict';
const { metrics } = require('@opentelemetry/api');
const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-proto');
const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const provider = new MeterProvider({
  resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'bench' }),
  readers: [
    new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() }),
    new PrometheusExporter({ port: Number(process.env.OTEL_EXPORTER_PROMETHEUS_PORT ?? 9464) }),
  ],
});
metrics.setGlobalMeterProvider(provider);
let done = false;
process.on('beforeExit', () => {
  if (!done) { done = true; provider.shutdown(); }
});
