import { readFileSync } from 'node:fs';
import { AggregationTemporality, MetricReader, type AggregationSelector, type CollectionResult, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { defaultLog, type Log } from '../../core/log';
import { createMetricsHandler, type MetricsRequestHandler } from './metrics-handler';
import { startMetricsServer, type MetricsServer } from './metrics-server';
import { PrometheusSerializer, type PrometheusSerializerOptions } from './prometheus-serializer';
import { createScrapeAuth, type ScrapeAuth, type ScrapeAuthOptions } from './scrape-auth';

/** TLS for the endpoint: PEM contents or file paths (files are read when the server starts). */
export interface PrometheusTlsOptions {
  cert?: string | Buffer;
  key?: string | Buffer;
  clientCa?: string | Buffer;
  /** Env `OTEL_EXPORTER_PROMETHEUS_TLS_CERT_FILE`. */
  certFile?: string;
  /** Env `OTEL_EXPORTER_PROMETHEUS_TLS_KEY_FILE`. */
  keyFile?: string;
  /** Requires client certificates signed by this CA (mTLS); env `OTEL_EXPORTER_PROMETHEUS_TLS_CLIENT_CA_FILE`. */
  clientCaFile?: string;
}

/** Everything the Prometheus pull reader takes; each field lists its env variable. */
export interface PrometheusReaderOptions extends PrometheusSerializerOptions, ScrapeAuthOptions {
  /** Default `localhost` (env `OTEL_EXPORTER_PROMETHEUS_HOST`). */
  host?: string;
  /** Default 9464 (env `OTEL_EXPORTER_PROMETHEUS_PORT`); 0 picks a free port. */
  port?: number;
  /** Default `/metrics`. */
  endpoint?: string;
  /** Concurrent connections at most, more are closed on accept; default 64 (env `OTEL_EXPORTER_PROMETHEUS_MAX_CONNECTIONS`). */
  maxConnections?: number;
  /** Default `gzip` when the scraper accepts it (env `OTEL_EXPORTER_PROMETHEUS_COMPRESSION`). */
  compression?: 'gzip' | 'none';
  tls?: PrometheusTlsOptions;
  /** Do not listen; serve through {@link PrometheusPullReader.getMetricsRequestHandler} instead. */
  preventServerStart?: boolean;
  aggregationSelector?: AggregationSelector;
  /** More metric data every scrape carries (the SDK reader's `metricProducers`); the pipeline passes its self-metrics. */
  metricProducers?: MetricProducer[];
}

/** What a scrape serves, given the reader's own collection. */
export type ScrapeSource = (own: () => Promise<CollectionResult>) => Promise<CollectionResult>;

function pem(value: string | Buffer | undefined, file: string | undefined): string | Buffer | undefined {
  return value ?? (file === undefined ? undefined : readFileSync(file));
}

/**
 * A pull MetricReader (cumulative, as the spec requires) that serves Prometheus text or
 * OpenMetrics on `/metrics` with our own streaming serializer. It never throws into the app:
 * a busy port or unreadable certificate is one stderr line and the reader stays off.
 */
export class PrometheusPullReader extends MetricReader {
  private readonly handler: MetricsRequestHandler;
  private readonly auth: ScrapeAuth | undefined;
  private server: MetricsServer | undefined;
  private starting: Promise<void> | undefined;
  private source: ScrapeSource | undefined;

  /** @param log the pipeline's log (its level, its own limiters); default info level on stderr. */
  constructor(private readonly options: PrometheusReaderOptions = {}, private readonly log: Log = defaultLog) {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE, aggregationSelector: options.aggregationSelector, metricProducers: options.metricProducers });
    this.auth = createScrapeAuth(options, log);
    this.handler = createMetricsHandler({
      collect: () => (this.source ? this.source(() => this.collect()) : this.collect()),
      serializer: new PrometheusSerializer({ warn: log.warn, ...options }),
      log: log.limited(),
      auth: this.auth,
      compression: options.compression,
      endpoint: options.endpoint,
    });
    if (!options.preventServerStart) void this.startServer();
  }

  /**
   * Lets something else answer the scrapes: `source` gets this reader's own collection and
   * returns what is served (a cluster primary merges its workers' in); undefined restores.
   */
  setScrapeSource(source: ScrapeSource | undefined): void {
    this.source = source;
  }

  /** The request listener, to mount on a server of your own. */
  getMetricsRequestHandler(): MetricsRequestHandler {
    return this.handler;
  }

  /** The server's URL once it listens (e.g. `http://[::1]:9464`), else undefined. */
  get url(): string | undefined {
    return this.server?.url;
  }

  /** Starts listening; resolves either way (a failure is one stderr line). */
  startServer(): Promise<void> {
    this.starting ??= this.listen();
    return this.starting;
  }

  private async listen(): Promise<void> {
    const { host = 'localhost', port = 9464, tls, maxConnections } = this.options;
    try {
      const serverTls = tls && { cert: pem(tls.cert, tls.certFile)!, key: pem(tls.key, tls.keyFile)!, clientCa: pem(tls.clientCa, tls.clientCaFile) };
      if (serverTls && (!serverTls.cert || !serverTls.key)) throw Object.assign(new Error('TLS needs both a certificate and a key'), { code: 'TLS_INCOMPLETE' });
      this.server = await startMetricsServer(this.handler, { host, port, tls: serverTls, maxConnections });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // A certificate file that cannot be read names the file (paths are not secrets; contents are).
      const reason = e.path ? `${e.code} ${e.path}` : (e.code ?? e.message);
      this.log.warn(`cannot serve Prometheus metrics on ${host}:${port} (${reason}); the prometheus exporter is off, the other exporters keep working`);
    }
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {
    await this.starting;
    await this.server?.close();
    this.server = undefined;
    this.auth?.close();
  }
}
