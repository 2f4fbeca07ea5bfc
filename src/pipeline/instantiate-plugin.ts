import type { AggregationSelector, AggregationTemporalitySelector, MetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { EnvReader } from '../../core/env-reader';
import { temporalitySelector } from '../../core/temporality';
import type { ExporterContext, ExporterPlugin } from '../../exporters/plugin';
import { isLegacyPlugin } from '../../exporters/registry';
import type { ResolvedConfig } from '../config/resolve-config';

/** A plug-in, built: the exporter (or reader), the selectors it declared, and where it sends. */
export interface PluginInstance {
  exporter: PushMetricExporter | MetricReader;
  temporality?: AggregationTemporalitySelector;
  aggregation?: AggregationSelector;
  /** Where it sends, without credentials, for log lines and the spool's identity. */
  destination?: string;
}

/**
 * The one way a plug-in is built, for primaries and fallbacks alike: its own config read from
 * the env and its code options (a legacy plug-in without readConfig gets the resolved core
 * config), then `create`, its declared temporality and aggregation, and its destination. Throws
 * what the plug-in throws (a ConfigError from code options included).
 */
export function instantiatePlugin(plugin: ExporterPlugin, env: EnvReader, options: unknown, context: ExporterContext, config: ResolvedConfig): PluginInstance {
  const own = plugin.readConfig ? plugin.readConfig(env, options) : isLegacyPlugin(plugin) ? config : undefined;
  const exporter = plugin.create(own, context) as PushMetricExporter | MetricReader;
  const push = exporter as Partial<PushMetricExporter>;
  const declared = plugin.temporality;
  const temporality: AggregationTemporalitySelector | undefined = typeof declared === 'string'
    ? temporalitySelector(declared)
    : typeof declared === 'function' ? declared(own) : push.selectAggregationTemporality?.bind(exporter);
  const aggregation: AggregationSelector | undefined = plugin.aggregation ? plugin.aggregation(own) : push.selectAggregation?.bind(exporter);
  let destination: string | undefined;
  try {
    destination = plugin.destination?.(own);
  } catch {
    /* a name is enough for the log lines */
  }
  return { exporter, temporality, aggregation, destination };
}
