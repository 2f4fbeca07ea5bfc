import { ExportResultCode } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { histogramAggregationSelector } from '../../core/histogram-aggregation';
import { temporalitySelector } from '../../core/temporality';
import type { RateLimitedLog } from '../../core/rate-limited-log';
import { defaultLog, type Log } from '../../core/log';
import { standaloneAttempt, type Attempt, type CancellableExporter, type DeliveryResult } from '../delivery/attempt';
import { countPoints } from '../delivery/batch-size';
import { OtlpProtobufEncoder } from './otlp-protobuf-encoder';
import { DeliveryStats } from '../delivery/delivery-stats';
import { ExportError } from '../delivery/export-error';
import type { OtlpConfig } from './otlp-config';
import type { OtlpTransport } from './otlp-transport-common';

/**
 * The OTLP metric exporter: our protobuf encoder (upstream's bytes) or upstream's JSON serializer over our
 * transport for the configured protocol. It is cancellable: in the delivery chain each export
 * runs under the attempt's signal, which the transport obeys. Upstream's export delegate is not
 * used: its transport interface takes a timeout in ms, not a signal, so it would keep a timer
 * of its own, and it adds a second concurrency queue and retry hook in front of ours. Our
 * transports never retry: the retry decorator is the one retry policy. Each protocol's modules
 * load only when chosen.
 */
export function createOtlpExporter(config: OtlpConfig, stats = new DeliveryStats('otlp'), own: OtlpExporterParts = {}): CancellableExporter {
  return new OtlpMetricExporter(config, stats, own);
}

/** What the plug-in hands down so nothing is built twice: its selectors, and the pipeline's log. */
export interface OtlpExporterParts {
  temporality?: (kind: InstrumentType) => AggregationTemporality;
  aggregation?: (kind: InstrumentType) => AggregationOption;
  log?: Log;
}

class OtlpMetricExporter implements CancellableExporter {
  private readonly serializer: { serializeRequest(batch: ResourceMetrics): Uint8Array | undefined; deserializeResponse(body: Uint8Array): unknown };
  private readonly transport: OtlpTransport;
  private readonly temporality: (kind: InstrumentType) => AggregationTemporality;
  private readonly aggregation: (kind: InstrumentType) => AggregationOption;
  private stopped = false;
  // Points in requests not yet answered: a collector's rejected count is clamped to it, so it can
  // never claim more than was sent (exact with one request in flight).
  private pointsInFlight = 0;
  // This exporter's own limiter: another exporter's (or pipeline's) lines never hold back its lines.
  private readonly partialLog: RateLimitedLog;

  constructor(private readonly config: OtlpConfig, stats: DeliveryStats, own: OtlpExporterParts) {
    this.partialLog = (own.log ?? defaultLog).limited();
    const partialLog = this.partialLog;
    const transformer = require('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
    const json = config.protocol === 'http/json';
    // Protobuf requests are ours (same bytes, see OtlpProtobufEncoder); responses and JSON stay upstream's.
    const upstream = transformer.ProtobufMetricsSerializer;
    const encoder = new OtlpProtobufEncoder();
    this.serializer = json ? transformer.JsonMetricsSerializer : { serializeRequest: (batch) => encoder.encode(batch), deserializeResponse: (body) => upstream.deserializeResponse(body) };
    const onPartialSuccess = (claimed: number, message: string): void => {
      const rejected = Math.max(0, Math.min(claimed, this.pointsInFlight));
      stats.rejectedPoints += rejected;
      partialLog.log(`${stats.name}:partial`, `${stats.name}: the destination accepted the batch but rejected ${rejected} data point(s): ${message || 'no reason given'}; not retried`);
    };
    const options = {
      url: config.url,
      headers: config.headers,
      compression: config.compression,
      ca: config.ca,
      key: config.key,
      cert: config.cert,
      onPartialSuccess,
      // A 2xx is a success whatever its body (some proxies answer HTML): say so at most once a minute.
      decodeResponse: json ? (body: Uint8Array) => decodeJsonResponse(body, stats.name, partialLog) : (body: Uint8Array) => this.serializer.deserializeResponse(body) as ReturnType<typeof decodeJsonResponse>,
    };
    // Required here, not at the top: each transport's Node modules cost MiB an idle app should not pay.
    this.transport = config.protocol === 'grpc'
      ? (require('./otlp-grpc-transport') as typeof import('./otlp-grpc-transport')).createOtlpGrpcTransport(options)
      : (require('./otlp-http-transport') as typeof import('./otlp-http-transport')).createOtlpHttpTransport({ ...options, contentType: json ? 'application/json' : 'application/x-protobuf' });
    this.temporality = own.temporality ?? temporalitySelector(config.temporalityPreference);
    this.aggregation = own.aggregation ?? histogramAggregationSelector(config.histogramAggregation);
  }

  selectAggregationTemporality(kind: InstrumentType): AggregationTemporality {
    return this.temporality(kind);
  }

  selectAggregation(kind: InstrumentType): AggregationOption {
    return this.aggregation(kind);
  }

  /** Outside a chain, an export is bounded by the configured timeout (`OTEL_EXPORTER_OTLP_METRICS_TIMEOUT`). */
  export(batch: ResourceMetrics, done: (result: DeliveryResult) => void): void {
    void this.exportWithin(batch, standaloneAttempt(this.config.timeoutMillis)).then(done);
  }

  async exportWithin(batch: ResourceMetrics, attempt: Attempt): Promise<DeliveryResult> {
    if (this.stopped) return { code: ExportResultCode.FAILED, error: new ExportError('exporter is shut down', { retryable: false, type: 'shutdown' }) };
    let body: Uint8Array | undefined;
    try {
      body = this.serializer.serializeRequest(batch);
    } catch (error) {
      return { code: ExportResultCode.FAILED, error: new ExportError(`cannot serialize the batch: ${(error as Error).message}`, { retryable: false, type: 'serialize' }) };
    }
    if (!body) return { code: ExportResultCode.FAILED, error: new ExportError('cannot serialize the batch', { retryable: false, type: 'serialize' }) };
    const points = countPoints(batch);
    this.pointsInFlight += points;
    let outcome;
    try {
      outcome = await this.transport.send(body, attempt);
    } finally {
      this.pointsInFlight -= points;
    }
    return outcome.ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error: outcome.error };
  }

  async forceFlush(): Promise<void> {}

  // By the time we shut down, the queue has given up on what is in flight: cancel it.
  async shutdown(): Promise<void> {
    this.stopped = true;
    this.transport.shutdown();
  }
}

function decodeJsonResponse(body: Uint8Array, name: string, partialLog: RateLimitedLog): { partialSuccess?: { rejectedDataPoints?: number | string; errorMessage?: string } } {
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as unknown;
    if (parsed !== null && typeof parsed === 'object') return parsed as { partialSuccess?: { rejectedDataPoints?: number | string; errorMessage?: string } };
  } catch { /* reported below */ }
  partialLog.log(`${name}:not-json`, `${name}: the destination answered 2xx with a body that is not OTLP JSON; counted as delivered`);
  return {};
}
