import { histogramAggregationSelector } from '../../core/histogram-aggregation';
import { temporalitySelector } from '../../core/temporality';
import { BuiltOnFirstUse } from '../built-on-first-use';
import type { ExporterPlugin } from '../plugin';
import { readOtlpConfig, type OtlpConfig } from './otlp-config';
import type { OtlpOptions } from './otlp-options';
import { createUpstreamOtlpExporter, readOtlpImplementation, upstreamOtlpOptions, type OtlpImplementation, type UpstreamOtlpOptions } from './upstream-otlp';

/** OTLP settings plus the implementation switch (and, for upstream's, what code set). */
type OtlpPluginConfig = OtlpConfig & { implementation: OtlpImplementation; upstream?: UpstreamOtlpOptions };

/**
 * `OTEL_METRICS_EXPORTER=otlp`. The exporter is built on the first export with data, so an app
 * that records nothing never loads a transport (gRPC, protobuf, TLS, zlib).
 * `OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION=upstream` builds upstream's package for the
 * protocol instead, inside the same delivery chain and with the same selectors. The pipeline
 * uses that wrapper as it is (it does not wrap a BuiltOnFirstUse again).
 */
export const otlpPlugin: ExporterPlugin<OtlpPluginConfig> = {
  name: 'otlp',
  kind: 'push',
  readConfig: (env, options) => {
    const config = readOtlpConfig(env, options as OtlpOptions | undefined);
    const implementation = readOtlpImplementation(env, config.protocol);
    return implementation === 'upstream'
      ? { ...config, implementation, upstream: upstreamOtlpOptions(options as OtlpOptions | undefined) }
      : { ...config, implementation };
  },
  // No temporality or aggregation declared here: the lazy exporter create returns implements
  // both, so each selector is built once, in create, and shared with the real exporter.
  destination: (config) => {
    const url = new URL(config.url);
    return `${url.protocol}//${url.host}${config.protocol === 'grpc' ? '' : url.pathname}`;
  },
  create: (config, context) => {
    const selectors = { temporality: temporalitySelector(config.temporalityPreference), aggregation: histogramAggregationSelector(config.histogramAggregation) };
    return new BuiltOnFirstUse({
      name: config.implementation === 'upstream' ? `${context.name} (upstream ${config.protocol})` : `${context.name} (${config.protocol})`,
      build: () => config.implementation === 'upstream'
        ? createUpstreamOtlpExporter(config.protocol, config.upstream ?? {})
        : (require('./otlp-exporter') as typeof import('./otlp-exporter')).createOtlpExporter(config, context.stats, { ...selectors, log: context.log }),
      ...selectors,
      log: context.log,
    });
  },
};
