import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { EnvReader } from '../../core/env-reader';
import type { ResolvedConfig } from '../config/resolve-config';
import type { DeliveryStats } from '../../exporters/delivery/delivery-stats';
import type { ExporterContext } from '../../exporters/plugin';
import type { ExporterLookup } from '../../exporters/registry';
import type { Log } from '../../core/log';
import { assemblyProblems } from './assembly-problems';
import { instantiatePlugin } from './instantiate-plugin';

/** A fallback exporter, built for one primary. */
export interface Fallback {
  name: string;
  exporter: PushMetricExporter;
  /** Where it sends, without credentials, for log lines. */
  destination?: string;
}

/**
 * Builds the fallback exporter `OTEL_METRICS_FALLBACK_EXPORTER` (or `fallbackExporter`) names
 * for the primary `name`, or says in one line (through `say`) why there is none: the same as
 * the primary, unknown, a pull exporter, or it failed to start.
 */
export function buildFallback(name: string, config: ResolvedConfig, stats: DeliveryStats, env: EnvReader, options: unknown, say: (line: string) => void, own: { registry: ExporterLookup; log: Log }): Fallback | undefined {
  const spec = config.delivery.fallbackExporter;
  if (spec === undefined || spec === 'none') return undefined;
  if (typeof spec !== 'string') return { name: 'fallback', exporter: spec };
  const no = (line: string): undefined => { say(line); return undefined; };
  if (spec === name) return no(assemblyProblems.fallbackIsPrimary(spec));
  const plugin = own.registry.get(spec);
  if (!plugin) return no(assemblyProblems.unknownFallback(spec, own.registry));
  // Checked before anything is built: a pull exporter would open a server nobody asked for.
  if (plugin.kind !== 'push') return no(assemblyProblems.pullFallback(spec));
  try {
    const context: ExporterContext = { name: spec, stats, exportIntervalMillis: config.exportIntervalMillis, exportTimeoutMillis: config.exportTimeoutMillis, log: own.log };
    // Built the same way as a primary; its batches keep the primary's temporality, so its own selectors are not used.
    const built = instantiatePlugin(plugin, env, options, context, config);
    if (typeof (built.exporter as PushMetricExporter).export !== 'function') return no(`OTEL_METRICS_FALLBACK_EXPORTER=${spec} did not build a push exporter; running without a fallback`);
    return { name: spec, exporter: built.exporter as PushMetricExporter, destination: built.destination };
  } catch (err) {
    return no(`fallback exporter ${JSON.stringify(spec)} failed to start (${(err as Error).message}); running without a fallback`);
  }
}
