import type { HistogramAggregation } from '../../core/histogram-aggregation';
import type { TemporalityPreference } from '../../core/temporality';

/** OTLP wire protocols; env `OTEL_EXPORTER_OTLP_[METRICS_]PROTOCOL`, default `http/protobuf`. */
export const OTLP_PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'] as const;
/** One of {@link OTLP_PROTOCOLS}. */
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** OTLP exporter options; each overrides its `OTEL_EXPORTER_OTLP_METRICS_*` / `OTEL_EXPORTER_OTLP_*` variable. */
export interface OtlpOptions {
  /** Wire protocol; env `..._PROTOCOL`; default `http/protobuf`. */
  protocol?: OtlpProtocol;
  /** Full URL, used as given like the signal-specific variable; env `..._ENDPOINT`; default `http://localhost:4318/v1/metrics` (gRPC `http://localhost:4317`). */
  endpoint?: string;
  /** Extra request headers (gRPC metadata), merged key by key over env `..._HEADERS`; default none. */
  headers?: Record<string, string>;
  /** Per-request timeout in ms; env `..._TIMEOUT`; default 10000. */
  timeoutMillis?: number;
  /** Body compression; env `..._COMPRESSION`; default `none`. */
  compression?: 'gzip' | 'none';
  /** Path of a PEM file of trusted CAs; env `..._CERTIFICATE`; default the system store. */
  certificateFile?: string;
  /** Path of the PEM client key for mTLS; env `..._CLIENT_KEY`; default none. */
  clientKeyFile?: string;
  /** Path of the PEM client certificate chain for mTLS; env `..._CLIENT_CERTIFICATE`; default none. */
  clientCertificateFile?: string;
  /** gRPC only: plaintext when the endpoint has no scheme; env `..._INSECURE`; default false. */
  insecure?: boolean;
  /** Temporality; env `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`; default `cumulative`. */
  temporalityPreference?: TemporalityPreference;
  /** Histogram aggregation; env `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`; default explicit buckets. */
  histogramAggregation?: HistogramAggregation;
}
