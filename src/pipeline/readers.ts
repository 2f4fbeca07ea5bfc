import { PeriodicExportingMetricReader, type MetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ExporterSpec } from '../config/options';
import type { ResolvedConfig } from '../config/resolve-config';
import { error } from '../diag';
import { DeliveryStats } from '../../exporters/delivery-stats';
import { getExporterFactory } from '../../exporters/registry';
import { buildDeliveryChain } from './delivery-chain';
import { DeferredExporter } from './deferred-exporter';

/** The readers, and the delivery counters of each push exporter for self-observability. */
export interface Readers {
  readers: MetricReader[];
  stats: DeliveryStats[];
}

/**
 * One reader per configured exporter: push exporters get their delivery chain (queue, fallback,
 * retry) and a periodic reader; pull readers are used as they are.
 */
export function buildReaders(config: ResolvedConfig): Readers {
  const readers: MetricReader[] = [];
  const stats: DeliveryStats[] = [];
  config.exporters.forEach((spec, index) => {
    const name = typeof spec === 'string' ? spec : `exporter_${index}`;
    const s = new DeliveryStats(name);
    const built = instantiate(spec, name, config, s);
    if (built === undefined) return;
    if (isReader(built)) {
      readers.push(built);
      return;
    }
    stats.push(s);
    readers.push(new PeriodicExportingMetricReader({
      exporter: withDelivery(name, built, config, s),
      exportIntervalMillis: config.exportIntervalMillis,
      exportTimeoutMillis: config.exportTimeoutMillis,
    }));
  });
  return { readers, stats };
}

function instantiate(spec: ExporterSpec, name: string, config: ResolvedConfig, stats: DeliveryStats): PushMetricExporter | MetricReader | undefined {
  if (typeof spec !== 'string') return spec;
  const factory = getExporterFactory(spec);
  if (!factory) return new DeferredExporter(spec, config);
  try {
    return factory(config, { name, stats });
  } catch (err) {
    // One broken exporter must not cost the others their data.
    error(`exporter ${JSON.stringify(spec)} failed to start (${(err as Error).message}); the other exporters keep working`);
    return undefined;
  }
}

function withDelivery(name: string, exporter: PushMetricExporter, config: ResolvedConfig, stats: DeliveryStats): PushMetricExporter {
  try {
    return buildDeliveryChain(name, exporter, config, stats);
  } catch (err) {
    error(`${name}: the delivery chain failed to start (${(err as Error).message}); exporting without retry or queue`);
    return exporter;
  }
}

// Duck-typed: a reader from another copy of sdk-metrics (an ESM app's) is still a reader.
function isReader(x: PushMetricExporter | MetricReader): x is MetricReader {
  return typeof (x as MetricReader).collect === 'function' && typeof (x as MetricReader).setMetricProducer === 'function';
}
