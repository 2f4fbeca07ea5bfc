import { histogramAggregationSelector } from '../../core/histogram-aggregation';
import { temporalitySelector } from '../../core/temporality';
import { BuiltOnFirstUse } from '../built-on-first-use';
import type { ExporterPlugin } from '../plugin';
import { readOtlpConfig, type OtlpConfig } from './otlp-config';
import type { OtlpOptions } from './otlp-options';

/**
 * `OTEL_METRICS_EXPORTER=otlp`. The exporter is built on the first export with data, so an app
 * that records nothing never loads a transport (gRPC, protobuf, TLS, zlib).
 */
export const otlpPlugin: ExporterPlugin<OtlpConfig> = {
  name: 'otlp',
  kind: 'push',
  readConfig: (env, options) => readOtlpConfig(env, options as OtlpOptions | undefined),
  temporality: (config) => temporalitySelector(config.temporalityPreference),
  aggregation: (config) => histogramAggregationSelector(config.histogramAggregation),
  destination: (config) => {
    const url = new URL(config.url);
    return `${url.protocol}//${url.host}${config.protocol === 'grpc' ? '' : url.pathname}`;
  },
  create: (config, context) => new BuiltOnFirstUse({
    name: `${context.name} (${config.protocol})`,
    build: () => (require('./otlp-exporter') as typeof import('./otlp-exporter')).createOtlpExporter(config, context.stats),
    temporality: temporalitySelector(config.temporalityPreference),
    aggregation: histogramAggregationSelector(config.histogramAggregation),
  }),
};
