import type { Attributes } from '@opentelemetry/api';
import type { MetricReader, PushMetricExporter, ViewOptions } from '@opentelemetry/sdk-metrics';
import type { ExporterName } from './exporter-options';
import type { QueuePolicyOptions, RetryPolicyOptions } from '../../exporters/delivery/delivery-options';

/** Log levels; env `OTEL_LOG_LEVEL`, default `info`. */
export type LogLevelName = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

/** An exporter chosen by name (see `registerExporter`), or an instance: push exporters get a periodic reader. */
export type ExporterSpec = ExporterName | PushMetricExporter | MetricReader;

/** The options the core reads; every field overrides the env var it names. Per-exporter options live with each exporter. */
export interface CoreOptions {
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
  /** Time allowed for one export attempt, in ms; env `OTEL_METRIC_EXPORT_TIMEOUT`; default 30000. */
  exportTimeoutMillis?: number;
  /** How long exit (natural, SIGTERM, SIGINT, `shutdown()`) may wait for delivery, in ms; env `OTEL_METRICS_SHUTDOWN_TIMEOUT`; default 3000. */
  shutdownTimeoutMillis?: number;
  /** Retry policy for push exporters, or `false` for none; default on (see {@link RetryPolicyOptions}). */
  retry?: RetryPolicyOptions | false;
  /** Sending queue for push exporters, or `false` to export inline; default on (see {@link QueuePolicyOptions}). */
  queue?: QueuePolicyOptions | false;
  /** Exporter (name or instance) that receives what a push exporter could not deliver; env `OTEL_METRICS_FALLBACK_EXPORTER`; default none. */
  fallbackExporter?: ExporterName | PushMetricExporter;
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
