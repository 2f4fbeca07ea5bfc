import type { Attributes } from '@opentelemetry/api';
import type { MetricReader, PushMetricExporter, ViewOptions } from '@opentelemetry/sdk-metrics';

/** OTLP wire protocols; env `OTEL_EXPORTER_OTLP_[METRICS_]PROTOCOL`, default `http/protobuf`. */
export const OTLP_PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'] as const;
/** One of {@link OTLP_PROTOCOLS}. */
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** Temporality preferences; env `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, default `cumulative`. */
export const TEMPORALITY_PREFERENCES = ['cumulative', 'delta', 'lowmemory'] as const;
/** One of {@link TEMPORALITY_PREFERENCES}. */
export type TemporalityPreference = (typeof TEMPORALITY_PREFERENCES)[number];

/** Histogram aggregations; env `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`, default explicit. */
export const HISTOGRAM_AGGREGATIONS = ['explicit_bucket_histogram', 'base2_exponential_bucket_histogram'] as const;
/** One of {@link HISTOGRAM_AGGREGATIONS}. */
export type HistogramAggregation = (typeof HISTOGRAM_AGGREGATIONS)[number];

/** Log levels; env `OTEL_LOG_LEVEL`, default `info`. */
export type LogLevelName = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

/** An exporter chosen by name (see `registerExporter`), or an instance: push exporters get a periodic reader. */
export type ExporterSpec = string | PushMetricExporter | MetricReader;

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
}

/** Retry defaults, in ms: the OpenTelemetry Collector exporter helper's. */
export const RETRY_DEFAULTS = { initialIntervalMillis: 1000, maxIntervalMillis: 30_000, maxElapsedTimeMillis: 300_000 } as const;

/** Queue defaults: 100 batches, 16 MiB, a 30 s drain (the spec's export timeout). */
export const QUEUE_DEFAULTS = { maxBatches: 100, maxBytes: 16 * 1024 * 1024, drainTimeoutMillis: 30_000 } as const;

/** Fallback circuit-breaker defaults: 3 failed attempts open it, a 30 s probe interval. */
export const FALLBACK_DEFAULTS = { failureThreshold: 3, probeIntervalMillis: 30_000 } as const;

/** Retry policy for every push exporter; each field overrides its env var. */
export interface RetryPolicyOptions {
  /** First backoff ceiling in ms; env `OTEL_METRICS_RETRY_INITIAL_INTERVAL`; default 1000. */
  initialIntervalMillis?: number;
  /** Largest backoff ceiling in ms; env `OTEL_METRICS_RETRY_MAX_INTERVAL`; default 30000. */
  maxIntervalMillis?: number;
  /** Give up on a batch after this many ms, 0 disables retry; env `OTEL_METRICS_RETRY_MAX_ELAPSED_TIME`; default 300000. */
  maxElapsedTimeMillis?: number;
}

/** Sending queue for every push exporter; each field overrides its env var. */
export interface QueuePolicyOptions {
  /** Most batches held; env `OTEL_METRICS_QUEUE_SIZE`; default 100. */
  maxBatches?: number;
  /** Most bytes held in memory and on disk; env `OTEL_METRICS_QUEUE_MAX_BYTES`; default 16777216 (16 MiB). */
  maxBytes?: number;
  /** Crash-safe spool directory; env `OTEL_METRICS_QUEUE_DIR`; default none (memory only). */
  directory?: string;
}

/** Options for `startMetrics`; every field overrides the env var it names. */
export interface MetricsOptions {
  /** Turn everything off; env `OTEL_SDK_DISABLED`; default false. */
  disabled?: boolean;
  /** Diagnostic verbosity on stderr; env `OTEL_LOG_LEVEL`; default `info`. */
  logLevel?: LogLevelName;
  /** `service.name`; env `OTEL_SERVICE_NAME`; default `unknown_service:node`. */
  serviceName?: string;
  /** Extra resource attributes; env `OTEL_RESOURCE_ATTRIBUTES`; default none. */
  resourceAttributes?: Attributes;
  /** Exporters by name or instance; env `OTEL_METRICS_EXPORTER` (comma list); default `otlp`. */
  exporters?: ExporterSpec[];
  /** Push interval in ms for every push exporter; env `OTEL_METRIC_EXPORT_INTERVAL`; default 60000. */
  exportIntervalMillis?: number;
  /** Time allowed for one export, and for the final flush at exit, in ms; env `OTEL_METRIC_EXPORT_TIMEOUT`; default 30000. */
  exportTimeoutMillis?: number;
  /** OTLP exporter settings. */
  otlp?: OtlpOptions;
  /** Temporality for OTLP exporters; env `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`; default `cumulative`. */
  temporalityPreference?: TemporalityPreference;
  /** Histogram aggregation for OTLP exporters; env `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`; default explicit buckets. */
  histogramAggregation?: HistogramAggregation;
  /** Prometheus pull endpoint; env `OTEL_EXPORTER_PROMETHEUS_HOST` (default `localhost`) and `_PORT` (default 9464). */
  prometheus?: { host?: string; port?: number };
  /** Retry policy for push exporters, or `false` for none; default on (see {@link RetryPolicyOptions}). */
  retry?: RetryPolicyOptions | false;
  /** Sending queue for push exporters, or `false` to export inline; default on (see {@link QueuePolicyOptions}). */
  queue?: QueuePolicyOptions | false;
  /** Exporter (name or instance) that receives what a push exporter could not deliver; env `OTEL_METRICS_FALLBACK_EXPORTER`; default none. */
  fallbackExporter?: string | PushMetricExporter;
  /** Consecutive failed attempts before traffic goes straight to the fallback; env `OTEL_METRICS_FALLBACK_FAILURE_THRESHOLD`; default 3. */
  fallbackFailureThreshold?: number;
  /** While on the fallback, how often the primary is tried again, in ms; env `OTEL_METRICS_FALLBACK_PROBE_INTERVAL`; default 30000. */
  fallbackProbeIntervalMillis?: number;
  /** Report the pipeline's own metrics through itself; env `OTEL_METRICS_SELF_OBSERVABILITY_DISABLED=true` turns off; default true. */
  selfObservability?: boolean;
  /** Views passed to the MeterProvider unchanged; default none. */
  views?: ViewOptions[];
  /** Flush at natural exit, SIGTERM and SIGINT; no env var; default true. */
  flushOnExit?: boolean;
  /** Install as the global MeterProvider; no env var; default true. */
  setGlobal?: boolean;
  /** Environment to read instead of `process.env`; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}
