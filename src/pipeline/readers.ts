import { PeriodicExportingMetricReader, type MetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ExporterSpec } from '../config/options';
import type { ResolvedConfig } from '../config/resolve-config';
import { error } from '../diag';
import { getExporterFactory } from '../../exporters/registry';
import { DeferredExporter } from './deferred-exporter';

/** One reader per configured exporter: push exporters get a periodic reader, pull readers are used as they are. */
export function buildReaders(config: ResolvedConfig): MetricReader[] {
  const readers: MetricReader[] = [];
  for (const spec of config.exporters) {
    const built = instantiate(spec, config);
    if (built === undefined) continue;
    readers.push(isReader(built) ? built : new PeriodicExportingMetricReader({
      exporter: built,
      exportIntervalMillis: config.exportIntervalMillis,
      exportTimeoutMillis: config.exportTimeoutMillis,
    }));
  }
  return readers;
}

function instantiate(spec: ExporterSpec, config: ResolvedConfig): PushMetricExporter | MetricReader | undefined {
  if (typeof spec !== 'string') return spec;
  const factory = getExporterFactory(spec);
  if (!factory) return new DeferredExporter(spec, config);
  try {
    return factory(config);
  } catch (err) {
    // One broken exporter must not cost the others their data.
    error(`exporter ${JSON.stringify(spec)} failed to start (${(err as Error).message}); the other exporters keep working`);
    return undefined;
  }
}

// Duck-typed: a reader from another copy of sdk-metrics (an ESM app's) is still a reader.
function isReader(x: PushMetricExporter | MetricReader): x is MetricReader {
  return typeof (x as MetricReader).collect === 'function' && typeof (x as MetricReader).setMetricProducer === 'function';
}
