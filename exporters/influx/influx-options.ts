import type { Precision } from './precision';

/** Which InfluxDB write API to use: `/write` (1.x), `/api/v2/write` (2.x, Cloud) or `/api/v3/write_lp` (3.x). */
export type InfluxApi = 'v1' | 'v2' | 'v3';

/** Resource attributes written as tags unless configured otherwise. */
export const DEFAULT_RESOURCE_TAGS: readonly string[] = ['service.name', 'service.namespace', 'service.instance.id', 'host.name'];

/** The accepted write APIs. */
export const INFLUX_APIS: readonly InfluxApi[] = ['v1', 'v2', 'v3'];

/** Code options for the InfluxDB exporter; each overrides its env var (in brackets). */
export interface InfluxOptions {
  /** Base URL of the server [OTEL_EXPORTER_INFLUXDB_ENDPOINT]; default `http://localhost:8086`. */
  endpoint?: string;
  /** Write API [OTEL_EXPORTER_INFLUXDB_API]; default `v2`. */
  api?: InfluxApi;
  /** Database, v1 and v3 [OTEL_EXPORTER_INFLUXDB_DATABASE]; no default. */
  database?: string;
  /** Retention policy, v1 [OTEL_EXPORTER_INFLUXDB_RETENTION_POLICY]; default the database's default. */
  retentionPolicy?: string;
  /** Organization, v2 [OTEL_EXPORTER_INFLUXDB_ORG]; no default. */
  org?: string;
  /** Bucket, v2 [OTEL_EXPORTER_INFLUXDB_BUCKET]; no default. */
  bucket?: string;
  /** API token: `Token` on v1/v2, `Bearer` on v3 [OTEL_EXPORTER_INFLUXDB_TOKEN]; never logged. */
  token?: string;
  /** v1 user for basic auth [OTEL_EXPORTER_INFLUXDB_USERNAME]. */
  username?: string;
  /** v1 password for basic auth [OTEL_EXPORTER_INFLUXDB_PASSWORD]; never logged. */
  password?: string;
  /** Timestamp precision [OTEL_EXPORTER_INFLUXDB_PRECISION]; default `ns`. */
  precision?: Precision;
  /** Request body compression [OTEL_EXPORTER_INFLUXDB_COMPRESSION]; default `gzip`. */
  compression?: 'gzip' | 'none';
  /** Per-request timeout in ms [OTEL_EXPORTER_INFLUXDB_TIMEOUT]; default 10000. */
  timeoutMillis?: number;
  /** PEM file of trusted CAs [OTEL_EXPORTER_INFLUXDB_CERTIFICATE]; default the system store. */
  certificateFile?: string;
  /** PEM client key for mTLS [OTEL_EXPORTER_INFLUXDB_CLIENT_KEY]; default none. */
  clientKeyFile?: string;
  /** PEM client certificate chain for mTLS [OTEL_EXPORTER_INFLUXDB_CLIENT_CERTIFICATE]; default none. */
  clientCertificateFile?: string;
  /** Resource attributes written as tags, or `'*'` for all [OTEL_EXPORTER_INFLUXDB_RESOURCE_TAGS]; default service.name, service.namespace, service.instance.id, host.name. */
  resourceTags?: readonly string[] | '*';
  /** Most lines per request; default 5000 (InfluxData's recommended batch size). */
  maxBatchLines?: number;
  /** Most bytes per request before compression; default 5 MB (servers limit bodies: 1.x 25 MB). */
  maxBatchBytes?: number;
}

/** The exporter's settings after env and code options are merged. */
export interface InfluxConfig {
  api: InfluxApi;
  /** Base URL without credentials or trailing slash. */
  endpoint: string;
  database?: string;
  retentionPolicy?: string;
  org?: string;
  bucket?: string;
  token?: string;
  username?: string;
  password?: string;
  precision: Precision;
  compression: 'gzip' | 'none';
  timeoutMillis: number;
  ca?: Buffer;
  key?: Buffer;
  cert?: Buffer;
  resourceTags: readonly string[] | '*';
  maxBatchLines: number;
  maxBatchBytes: number;
  /** Required settings that are missing; the exporter does not start while any is. */
  missing: string[];
}

/** Defaults of the settings that have one. */
export const INFLUX_DEFAULTS = {
  endpoint: 'http://localhost:8086',
  api: 'v2' as InfluxApi,
  precision: 'ns' as Precision,
  compression: 'gzip' as const,
  timeoutMillis: 10_000,
  maxBatchLines: 5000,
  maxBatchBytes: 5_000_000,
};
