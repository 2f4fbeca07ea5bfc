import type { MetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ResolvedConfig } from '../src/config/resolve-config';
import { ConfigError } from '../src/errors';
import type { DeliveryStats } from './delivery-stats';

/** What the pipeline hands a factory besides the configuration. */
export interface ExporterContext {
  /** The name the exporter was selected by. */
  name: string;
  /** Counters for this exporter's delivery chain; transports may add to them. */
  stats: DeliveryStats;
}

/** Builds an exporter (pushed by a periodic reader) or a pull reader from the resolved configuration. */
export type ExporterFactory = (config: ResolvedConfig, context: ExporterContext) => PushMetricExporter | MetricReader;

// Each built-in loads its module on first use, so an unused transport (gRPC, protobuf) costs nothing at start-up.
const BUILT_INS: Record<string, ExporterFactory> = {
  otlp: (c, ctx) => (require('./otlp-exporter') as typeof import('./otlp-exporter')).createOtlpExporter(c, ctx?.stats),
  prometheus: (c) => (require('./prometheus-reader') as typeof import('./prometheus-reader')).createPrometheusReader(c),
  console: () => new (require('./console-exporter') as typeof import('./console-exporter')).ConsoleMetricExporter(),
  'otlp/stdout': (c) => new (require('./otlp-stdout-exporter') as typeof import('./otlp-stdout-exporter')).OtlpStdoutExporter(c),
};

const registered = new Map<string, ExporterFactory>();

/** Makes `name` selectable in `OTEL_METRICS_EXPORTER`; names are case-insensitive and may not shadow a built-in. */
export function registerExporter(name: string, factory: ExporterFactory): void {
  const key = name.trim().toLowerCase();
  if (key === '' || key === 'none' || key.includes(',')) throw new ConfigError(`invalid exporter name ${JSON.stringify(name)}`);
  if (key in BUILT_INS) throw new ConfigError(`exporter name ${JSON.stringify(name)} is built in`);
  if (typeof factory !== 'function') throw new ConfigError(`exporter ${JSON.stringify(name)} needs a factory function`);
  registered.set(key, factory);
}

/** The factory for `name`, built-in or registered, or undefined. */
export function getExporterFactory(name: string): ExporterFactory | undefined {
  const key = name.toLowerCase();
  return BUILT_INS[key] ?? registered.get(key);
}

/** Every name `OTEL_METRICS_EXPORTER` accepts right now, built-ins first. */
export function exporterNames(): string[] {
  return [...Object.keys(BUILT_INS), 'none', ...registered.keys()];
}
