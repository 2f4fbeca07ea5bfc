// Type fixture: a plug-in's names and options are typed by augmenting the package's interfaces.
import { startMetrics } from '../../src/index';

declare module '../../src/index' {
  interface PluginExporterOptions { kafka: { topic: string } }
  interface PluginInstrumentationOptions { queue: { depth: boolean } }
}

startMetrics({ exporters: ['kafka', 'otlp'], exporterOptions: { kafka: { topic: 't' } }, instrumentations: ['queue'], instrumentationOptions: { queue: { depth: true } } });
// @ts-expect-error the augmented options are typed too
startMetrics({ exporterOptions: { kafka: { topik: 't' } } });
// @ts-expect-error a built-in misspelling still fails beside the plug-ins
startMetrics({ exporters: ['promethus'] });
