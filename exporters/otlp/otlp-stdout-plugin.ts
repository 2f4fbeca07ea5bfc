import { histogramAggregationSelector } from '../../core/histogram-aggregation';
import { temporalitySelector } from '../../core/temporality';
import type { ExporterPlugin } from '../plugin';
import { readOtlpSelectors, type OtlpConfig } from './otlp-config';
import type { OtlpOptions } from './otlp-options';

type StdoutConfig = Pick<OtlpConfig, 'temporalityPreference' | 'histogramAggregation'>;

/** `OTEL_METRICS_EXPORTER=otlp/stdout`: one OTLP JSON line per export; honours the OTLP temporality and histogram variables. */
export const otlpStdoutPlugin: ExporterPlugin<StdoutConfig> = {
  name: 'otlp/stdout',
  kind: 'push',
  readConfig: (env, options) => readOtlpSelectors(env, options as OtlpOptions | undefined),
  temporality: (config) => temporalitySelector(config.temporalityPreference),
  aggregation: (config) => histogramAggregationSelector(config.histogramAggregation),
  create: (config) => new (require('./otlp-stdout-exporter') as typeof import('./otlp-stdout-exporter')).OtlpStdoutExporter(config),
};
