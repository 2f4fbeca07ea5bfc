import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { PrometheusPullReader, type PrometheusReaderOptions } from '../../../exporters/prometheus/prometheus-pull-reader';

/** A provider with our reader on a free loopback port and a few known values recorded. */
export async function startReader(options: PrometheusReaderOptions = {}, slowCollectMillis = 0): Promise<{ reader: PrometheusPullReader; provider: MeterProvider; url: string; collections: () => number }> {
  const reader = new PrometheusPullReader({ host: '127.0.0.1', port: 0, ...options });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'reader-test' }), readers: [reader] });
  const meter = provider.getMeter('reader-test', '1.0.0');
  meter.createCounter('app.requests', { unit: '{request}', description: 'Requests' }).add(7, { route: '/a' });
  const latency = meter.createHistogram('app.latency', { unit: 's', description: 'Latency' });
  for (const v of [0.1, 0.2, 0.3]) latency.record(v, { route: '/a' });
  let collections = 0;
  meter.createObservableGauge('app.temperature', { unit: 'Cel', description: 'Temperature' }).addCallback(async (r) => {
    collections++;
    if (slowCollectMillis > 0) await new Promise((resolve) => setTimeout(resolve, slowCollectMillis));
    r.observe(21.5);
  });
  await reader.startServer();
  if (options.preventServerStart) return { reader, provider, url: '', collections: () => collections };
  if (!reader.url) throw new Error('reader did not start');
  return { reader, provider, url: reader.url, collections: () => collections };
}
