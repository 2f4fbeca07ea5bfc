import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { histogramAggregationSelector } from '../../src/config/histogram-aggregation';
import { temporalitySelector } from '../../src/config/temporality';
import { DeliveryStats } from '../../src/delivery-stats';
import { RateLimitedLog } from '../../src/rate-limited-log';
import { countPoints } from '../delivery/batch-size';
import type { OtlpConfig } from './otlp-config';

const partialLog = new RateLimitedLog();

/**
 * The OTLP metric exporter: upstream's export delegate (concurrency bound, serializer, response
 * handling) and serializers over our transport for the configured protocol, built now from our
 * resolved settings, built now (the `otlp` plug-in defers this to the first export). Our
 * transports never retry: the retry decorator is the one retry policy. Each protocol's modules
 * load only when chosen.
 */
export function createOtlpExporter(config: OtlpConfig, stats = new DeliveryStats('otlp')): PushMetricExporter {
  const o = config;
  const { OTLPExporterBase, createOtlpNetworkExportDelegate, ExporterMetrics } = require('@opentelemetry/otlp-exporter-base') as typeof import('@opentelemetry/otlp-exporter-base');
  const transformer = require('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
  const json = o.protocol === 'http/json';
  const serializer = json ? transformer.JsonMetricsSerializer : transformer.ProtobufMetricsSerializer;
  // Points in exports not yet answered: a collector's rejected count is clamped to it (exact
  // with one export in flight, as the queue sends them), so it can never claim more than was sent.
  let pointsInFlight = 0;
  const onPartialSuccess = (claimed: number, message: string): void => {
    const rejected = Math.min(claimed, pointsInFlight);
    stats.rejectedPoints += rejected;
    partialLog.log(`${stats.name}:partial`, `${stats.name}: the destination accepted the batch but rejected ${rejected} data point(s): ${message || 'no reason given'}; not retried`);
  };
  const transportOptions = {
    url: o.url,
    headers: o.headers,
    compression: o.compression,
    ca: o.ca,
    key: o.key,
    cert: o.cert,
    onPartialSuccess,
    // Upstream's JSON deserializer logs a parse error on every call; a 2xx is a success whatever
    // its body (some proxies answer HTML), so say so at most once a minute.
    decodeResponse: json ? (body: Uint8Array) => decodeJsonResponse(body, stats.name) : (body: Uint8Array) => serializer.deserializeResponse(body),
  };
  // Required here, not at the top: each transport's Node modules cost MiB an idle app should not pay.
  const transport = o.protocol === 'grpc'
    ? (require('./otlp-grpc-transport') as typeof import('./otlp-grpc-transport')).createOtlpGrpcTransport(transportOptions)
    : (require('./otlp-http-transport') as typeof import('./otlp-http-transport')).createOtlpHttpTransport({ ...transportOptions, contentType: json ? 'application/json' : 'application/x-protobuf' });
  // Upstream's exporter self-metrics stay off here: we count final outcomes one level up, after retries.
  const metrics = new ExporterMetrics<ResourceMetrics>({
    componentType: 'otlp_metric_exporter',
    metricsHelper: transformer.MetricsExporterMetricsHelper,
    url: o.url,
    meterProvider: undefined,
    responseAttributesFromError: () => ({}),
  });
  const delegate = createOtlpNetworkExportDelegate(
    { timeoutMillis: o.timeoutMillis, concurrencyLimit: 30, compression: o.compression as CompressionAlgorithm },
    serializer,
    metrics,
    transport,
  );
  const temporality = temporalitySelector(config.temporalityPreference);
  const aggregation = histogramAggregationSelector(config.histogramAggregation);

  // Upstream's exporter-metrics-otlp-http adds only these selectors to this base, but its entry
  // point also loads the Node HTTP transport we replace (and zlib with it).
  class OtlpMetricExporter extends OTLPExporterBase<ResourceMetrics> implements PushMetricExporter {
    override export(metrics: ResourceMetrics, resultCallback: Parameters<PushMetricExporter['export']>[1]): void {
      const points = countPoints(metrics);
      pointsInFlight += points;
      let answered = false;
      super.export(metrics, (result) => {
        if (!answered) pointsInFlight -= points;
        answered = true;
        resultCallback(result);
      });
    }

    selectAggregationTemporality(kind: InstrumentType): AggregationTemporality {
      return temporality(kind);
    }

    selectAggregation(kind: InstrumentType): AggregationOption {
      return aggregation(kind);
    }

    // Upstream's shutdown first waits for requests in flight; by the time we shut down, the
    // queue has already given up on them, so abort them first instead of waiting for their timeout.
    override shutdown(): Promise<void> {
      transport.shutdown();
      return super.shutdown();
    }
  }
  return new OtlpMetricExporter(delegate);
}

function decodeJsonResponse(body: Uint8Array, name: string): { partialSuccess?: { rejectedDataPoints?: number | string; errorMessage?: string } } {
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as unknown;
    if (parsed !== null && typeof parsed === 'object') return parsed as { partialSuccess?: { rejectedDataPoints?: number | string; errorMessage?: string } };
  } catch { /* reported below */ }
  partialLog.log(`${name}:not-json`, `${name}: the destination answered 2xx with a body that is not OTLP JSON; counted as delivered`);
  return {};
}
