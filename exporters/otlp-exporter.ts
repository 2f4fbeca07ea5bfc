import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { OtlpConfig } from '../src/config/otlp-config';
import type { ResolvedConfig } from '../src/config/resolve-config';
import { histogramAggregationSelector } from './histogram-aggregation';
import { LazyExporter } from './lazy-exporter';
import { temporalitySelector } from './temporality';

// Upstream's own enum (AggregationTemporalityPreference) without loading its module to read it.
const TEMPORALITY = { delta: 0, cumulative: 1, lowmemory: 2 } as const;

/** `OTEL_METRICS_EXPORTER=otlp`: the upstream OTLP exporter, built on the first export with data. */
export function createOtlpExporter(config: ResolvedConfig): PushMetricExporter {
  return new LazyExporter({
    name: `otlp (${config.otlp.protocol})`,
    build: () => buildOtlpExporter(config),
    temporality: temporalitySelector(config.temporalityPreference),
    aggregation: histogramAggregationSelector(config.histogramAggregation),
  });
}

/**
 * The upstream OTLP exporter for the configured protocol, built now, only from our resolved
 * settings. Each protocol's modules (gRPC, protobuf, JSON) are loaded only when chosen.
 */
export function buildOtlpExporter(config: ResolvedConfig): PushMetricExporter {
  const o = config.otlp;
  const common = {
    timeoutMillis: o.timeoutMillis,
    // Upstream types this as an enum whose values are exactly these strings.
    compression: o.compression as CompressionAlgorithm,
    temporalityPreference: TEMPORALITY[config.temporalityPreference],
    aggregationPreference: histogramAggregationSelector(config.histogramAggregation),
  } as const;
  return withoutOtlpEnv(() => {
    if (o.protocol === 'grpc') return grpcExporter(o, common);
    const httpOptions = {
      ...common,
      url: o.url,
      headers: o.headers,
      httpAgentOptions: { keepAlive: true, ca: o.ca, key: o.key, cert: o.cert },
    };
    if (o.protocol === 'http/json') {
      const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-http') as typeof import('@opentelemetry/exporter-metrics-otlp-http');
      return new OTLPMetricExporter(httpOptions);
    }
    const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-proto') as typeof import('@opentelemetry/exporter-metrics-otlp-proto');
    return new OTLPMetricExporter(httpOptions);
  });
}

function grpcExporter(o: OtlpConfig, common: object): PushMetricExporter {
  const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
  const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-grpc') as typeof import('@opentelemetry/exporter-metrics-otlp-grpc');
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(o.headers)) metadata.set(key, value);
  const credentials = o.url.startsWith('https:')
    ? grpc.credentials.createSsl(o.ca ?? null, o.key ?? null, o.cert ?? null)
    : grpc.credentials.createInsecure();
  return new OTLPMetricExporter({ ...common, url: o.url, metadata, credentials });
}

/**
 * Upstream re-reads OTEL_EXPORTER_OTLP_* while constructing and logs its own warnings about
 * them. We already resolved and reported every one, so hide them for the synchronous
 * constructor call: each bad value is then reported once, in our format.
 */
function withoutOtlpEnv<T>(build: () => T): T {
  const hidden: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('OTEL_EXPORTER_OTLP_') && value !== undefined) {
      hidden.push([key, value]);
      delete process.env[key];
    }
  }
  try {
    return build();
  } finally {
    for (const [key, value] of hidden) process.env[key] = value;
  }
}
