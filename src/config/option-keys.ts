import type { OtlpOptions } from '../../exporters/otlp/otlp-options';
import type { PrometheusOptions } from '../../exporters/prometheus/prometheus-config';
import type { PrometheusTlsOptions } from '../../exporters/prometheus/prometheus-pull-reader';
import type { PushgatewayOptions } from '../../exporters/prometheus/pushgateway-config';
import type { InfluxOptions } from '../../exporters/influx/influx-options';
import type { QueuePolicyOptions, RetryPolicyOptions } from '../../exporters/delivery/delivery-options';
import type { HttpProducerOptions } from '../../instrumentation/http/http-producer';
import type { ProcessProducerOptions } from '../../instrumentation/process-producer';
import type { RuntimeProducerOptions } from '../../instrumentation/runtime-producer';
import type { SystemProducerOptions } from '../../instrumentation/system-producer';
import type { ClusterOptions } from './cluster-options';
import type { MetricsOptions } from '../metrics-options';

/**
 * The keys each code option object accepts, and which of them hold objects whose keys are
 * checked too. `Record<keyof T, …>` makes the compiler fail when a key is added to an options
 * type and not here (or listed here and not in the type), so the run-time check cannot drift.
 * `'map'` marks a value whose keys are the user's (headers, labels, users): not checked.
 */
export type KeySpec = { [key: string]: true | 'map' | KeySpec };

const keys = <T>(spec: { [K in keyof Required<T>]: true | 'map' | KeySpec }): KeySpec => spec as KeySpec;

const OTLP = keys<OtlpOptions>({ protocol: true, endpoint: true, headers: 'map', timeoutMillis: true, compression: true, certificateFile: true, clientKeyFile: true, clientCertificateFile: true, insecure: true, temporalityPreference: true, histogramAggregation: true });
const TLS = keys<PrometheusTlsOptions>({ cert: true, key: true, clientCa: true, certFile: true, keyFile: true, clientCaFile: true });
const PROMETHEUS = keys<PrometheusOptions>({ host: true, port: true, endpoint: true, maxConnections: true, compression: true, tls: TLS, translationStrategy: true, withoutScopeInfo: true, withoutTargetInfo: true, basicAuthUsers: 'map', bearerToken: true });

/** Keys of each built-in exporter's `exporterOptions` entry. */
export const EXPORTER_OPTION_KEYS: Readonly<Record<string, KeySpec>> = {
  otlp: OTLP,
  'otlp/stdout': { temporalityPreference: true, histogramAggregation: true },
  prometheus: PROMETHEUS,
  'prometheus/pushgateway': keys<PushgatewayOptions>({ endpoint: true, job: true, grouping: 'map', username: true, password: true, headers: 'map', certificateFile: true, clientKeyFile: true, clientCertificateFile: true }),
  influxdb: keys<InfluxOptions>({ endpoint: true, api: true, database: true, retentionPolicy: true, org: true, bucket: true, token: true, username: true, password: true, precision: true, compression: true, timeoutMillis: true, certificateFile: true, clientKeyFile: true, clientCertificateFile: true, resourceTags: true, maxBatchLines: true, maxBatchBytes: true }),
  console: {},
};

/** Keys of each built-in producer's `instrumentationOptions` entry. */
export const INSTRUMENTATION_OPTION_KEYS: Readonly<Record<string, KeySpec>> = {
  system: keys<SystemProducerOptions>({ root: true, interfaces: true, devices: true, mounts: true, connections: true, env: true }),
  process: keys<ProcessProducerOptions>({ root: true }),
  runtime: keys<RuntimeProducerOptions>({ eventLoopWindowMillis: true, eventLoopResolutionMillis: true }),
  http: keys<HttpProducerOptions>({ server: true, client: true, route: true, bodySizes: true, env: true }),
};

/** Top-level keys of `startMetrics` options; `exporterOptions` and `instrumentationOptions` are checked by name. */
export const METRICS_OPTION_KEYS = keys<MetricsOptions>({
  disabled: true, logLevel: true, serviceName: true, resourceAttributes: 'map', exporters: true, exportIntervalMillis: true, exportTimeoutMillis: true, shutdownTimeoutMillis: true,
  retry: keys<RetryPolicyOptions>({ initialIntervalMillis: true, maxIntervalMillis: true, maxElapsedTimeMillis: true }),
  queue: keys<QueuePolicyOptions>({ maxBatches: true, maxBytes: true, directory: true }),
  fallbackExporter: true, fallbackFailureThreshold: true, fallbackProbeIntervalMillis: true, selfObservability: true, views: true, flushOnExit: true, setGlobal: true, env: 'map',
  otlp: OTLP, prometheus: PROMETHEUS, temporalityPreference: true, histogramAggregation: true,
  exporterOptions: 'map', instrumentations: true, instrumentationOptions: 'map',
  cluster: keys<ClusterOptions>({ aggregate: true, scrapeTimeoutMillis: true, gaugeAggregation: true, systemOnce: true, threads: true }),
});
