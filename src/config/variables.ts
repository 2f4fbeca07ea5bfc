/**
 * Every environment variable the pipeline reads, in one table: the source of
 * docs/configuration.md and of the README's top-15 table (scripts/config-reference.js writes
 * both; test/docs/config-reference.test.ts fails when they differ from this table, when the
 * sources read a name that is not here, or when a name here is read nowhere).
 * Data only: nothing at run time reads it, so a wrong entry here can change no behaviour.
 */

/** The page section a variable belongs to (one per exporter or concern). */
export type VariableSection =
  | 'general' | 'otlp' | 'prometheus' | 'pushgateway' | 'influxdb' | 'delivery'
  | 'instrumentation' | 'health' | 'cluster' | 'detected';

/** How a value is read: the parser the env reader applies. */
export type VariableType = 'boolean' | 'millis' | 'integer' | 'number' | 'port' | 'enum' | 'list' | 'key=value list' | 'string' | 'url' | 'file' | 'directory' | 'secret';

export interface VariableDoc {
  /** The variable's name. */
  readonly name: string;
  /** Twins read for the same setting, in precedence order after `name` (the generic OTLP form). */
  readonly also?: readonly string[];
  readonly type: VariableType;
  /** The value used when unset or empty, as a reader would write it; `—` for none. */
  readonly default: string;
  /** Unit of a number (`ms`, `bytes`, `1` for a ratio). */
  readonly unit?: string;
  /** Accepted values of an enum or list. */
  readonly values?: readonly string[];
  readonly section: VariableSection;
  /** What it does, precise and short (Markdown). */
  readonly description: string;
  /** One of the README's top 15. */
  readonly top?: true;
}

const otlp = (suffix: string): { name: string; also: readonly string[] } => ({
  name: `OTEL_EXPORTER_OTLP_METRICS_${suffix}`,
  also: [`OTEL_EXPORTER_OTLP_${suffix}`],
});

export const VARIABLES: readonly VariableDoc[] = [
  // general
  { name: 'OTEL_SDK_DISABLED', type: 'boolean', default: 'false', section: 'general', top: true,
    description: '`true` (any case) turns the preload into a no-op.' },
  { name: 'OTEL_LOG_LEVEL', type: 'enum', default: 'info', values: ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'], section: 'general', top: true,
    description: 'Our stderr lines and upstream `diag`. `error` shows data permanently lost; `warn` adds transient failures that will be retried and bad settings; `info` adds recoveries and start-up facts ([which lines each level shows](troubleshooting.md#which-lines-each-log-level-shows)).' },
  { name: 'OTEL_SERVICE_NAME', type: 'string', default: 'unknown_service:node', section: 'general', top: true,
    description: '`service.name`; beats `service.name` in `OTEL_RESOURCE_ATTRIBUTES`.' },
  { name: 'OTEL_RESOURCE_ATTRIBUTES', type: 'key=value list', default: '—', section: 'general', top: true,
    description: '`key=value,…`, percent-decoded. A malformed value is discarded whole (spec). Values are never logged.' },
  { name: 'OTEL_METRICS_EXPORTER', type: 'list', default: 'otlp', values: ['otlp', 'prometheus', 'console', 'otlp/stdout', 'prometheus/pushgateway', 'influxdb', 'none'], section: 'general', top: true,
    description: 'Comma list of exporters, or a name given to `registerExporter`. An unknown name is one line and is skipped; only commas and blanks is one line, then `otlp`; `none` asks for no exporter.' },
  { name: 'OTEL_METRIC_EXPORT_INTERVAL', type: 'millis', unit: 'ms', default: '60000', section: 'general', top: true,
    description: 'Time between pushes, for every push exporter (the stdout ones too).' },
  { name: 'OTEL_METRIC_EXPORT_TIMEOUT', type: 'millis', unit: 'ms', default: '30000', section: 'general',
    description: 'Time one export attempt may take; an exporter that never answers has failed then, retryably.' },
  { name: 'OTEL_METRICS_SHUTDOWN_TIMEOUT', type: 'millis', unit: 'ms', default: '3000', section: 'general', top: true,
    description: 'The exit budget: how long exit (natural, SIGTERM, SIGINT, `shutdown()`) may wait for delivery ([exit](delivery.md#exit-and-flush)).' },
  { name: 'OTEL_METRICS_VIEWS_FILE', type: 'file', default: '—', section: 'general', top: true,
    description: 'JSON file of views (histogram bucket boundaries, attributes kept, renames, drops), added to the code\'s `views` ([views](instrumentation.md#histogram-buckets-and-views)).' },
  { name: 'OTEL_METRICS_SELF_OBSERVABILITY_DISABLED', type: 'boolean', default: 'false', section: 'general',
    description: '`true` stops the pipeline reporting its own metrics ([self-observability](delivery.md#self-observability)).' },

  // otlp
  { ...otlp('PROTOCOL'), type: 'enum', default: 'http/protobuf', values: ['grpc', 'http/protobuf', 'http/json'], section: 'otlp', top: true,
    description: 'OTLP wire protocol.' },
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', type: 'url', default: 'http://localhost:4318', section: 'otlp', top: true,
    description: 'Base URL (default for gRPC: `http://localhost:4317`); for HTTP `/v1/metrics` is appended to its path (a query stays a query: `http://c:4318/p?k=v` → `http://c:4318/p/v1/metrics?k=v`).' },
  { name: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', type: 'url', default: '—', section: 'otlp',
    description: 'Full URL, used as given; beats `OTEL_EXPORTER_OTLP_ENDPOINT`. For gRPC only scheme, host and port count.' },
  { ...otlp('HEADERS'), type: 'key=value list', default: '—', section: 'otlp', top: true,
    description: '`key=value,…`, percent-decoded; HTTP headers or gRPC metadata; the two variables merge key by key (the metrics one wins). Values are never logged. An entry HTTP (for gRPC: HTTP/2 or gRPC metadata) would refuse, or a value over 8 KiB, is one start-up line naming the variable and entry number, and is skipped.' },
  { ...otlp('TIMEOUT'), type: 'millis', unit: 'ms', default: '10000', section: 'otlp',
    description: 'Time per OTLP request.' },
  { ...otlp('COMPRESSION'), type: 'enum', default: 'none', values: ['gzip', 'none'], section: 'otlp',
    description: 'Request body compression.' },
  { ...otlp('CERTIFICATE'), type: 'file', default: 'system CAs', section: 'otlp',
    description: 'PEM file of CAs to trust; TLS verification is always on. A file that does not parse is one start-up line; the system CAs are used.' },
  { ...otlp('CLIENT_KEY'), type: 'file', default: '—', section: 'otlp',
    description: 'PEM client key for mTLS (with `CLIENT_CERTIFICATE`).' },
  { ...otlp('CLIENT_CERTIFICATE'), type: 'file', default: '—', section: 'otlp',
    description: 'PEM client certificate chain for mTLS (with `CLIENT_KEY`). A key or certificate that does not parse, an encrypted key, or a key that does not match is one start-up line; no client certificate is sent.' },
  { ...otlp('INSECURE'), type: 'boolean', default: 'false', section: 'otlp',
    description: 'gRPC only: plaintext when the endpoint has no scheme (`collector:4317`).' },
  { name: 'OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION', type: 'enum', default: 'builtin', values: ['builtin', 'upstream'], section: 'otlp',
    description: '`upstream`: the `otlp` exporter is upstream\'s package for the protocol (`-grpc`, `-proto`, `-http`), which reads the `OTEL_EXPORTER_OTLP_*` variables itself, inside our delivery chain. Not installed: one line naming what to `npm install`; ours is used ([built on](built-on.md)).' },
  { name: 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', type: 'enum', default: 'cumulative', values: ['cumulative', 'delta', 'lowmemory'], section: 'otlp',
    description: 'Aggregation temporality (any case), for `otlp` and `otlp/stdout`.' },
  { name: 'OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION', type: 'enum', default: 'explicit_bucket_histogram', values: ['explicit_bucket_histogram', 'base2_exponential_bucket_histogram'], section: 'otlp',
    description: 'Histogram aggregation for `otlp` and `otlp/stdout`.' },

  // prometheus
  { name: 'OTEL_EXPORTER_PROMETHEUS_HOST', type: 'string', default: 'localhost', section: 'prometheus', top: true,
    description: 'Interface the `/metrics` endpoint listens on; `::`, `::1`, `[::1]` work.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_PORT', type: 'port', default: '9464', section: 'prometheus', top: true,
    description: 'Port of the `/metrics` endpoint. A busy port is one line; the other exporters keep working.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_TRANSLATION_STRATEGY', type: 'enum', default: 'UnderscoreEscapingWithSuffixes', values: ['UnderscoreEscapingWithSuffixes', 'UnderscoreEscapingWithoutSuffixes', 'NoUTF8EscapingWithSuffixes', 'NoTranslation'], section: 'prometheus',
    description: 'How OTel names become Prometheus names (any case); see [names](exporters/prometheus.md#names).' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_WITHOUT_SCOPE_INFO', type: 'boolean', default: 'false', section: 'prometheus',
    description: '`true` leaves out the `otel_scope_*` labels.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_WITHOUT_TARGET_INFO', type: 'boolean', default: 'false', section: 'prometheus',
    description: '`true` leaves out `target_info`.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_COMPRESSION', type: 'enum', default: 'gzip', values: ['gzip', 'none'], section: 'prometheus',
    description: '`gzip` (only when the scraper sends `Accept-Encoding: gzip`) or `none`.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_USERNAME', type: 'string', default: '—', section: 'prometheus',
    description: 'With `_PASSWORD`: scrapes need this basic-auth user. Half a pair refuses every scrape.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_BASIC_AUTH_PASSWORD', type: 'secret', default: '—', section: 'prometheus',
    description: 'The password in clear, or its bcrypt hash (`$2a$`/`$2b$`/`$2y$`). Never logged. A bcrypt check runs in a worker thread, at most 4 at once (more get 429); a verified header is remembered for 5 minutes; an unknown user costs the same as a known one.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_BEARER_TOKEN', type: 'secret', default: '—', section: 'prometheus',
    description: 'Scrapes may instead send `Authorization: Bearer <token>`. Never logged.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_MAX_CONNECTIONS', type: 'integer', default: '64', section: 'prometheus',
    description: 'Concurrent connections to the metrics port; more are closed on accept. Every connection is closed after 5 s without complete headers (or TLS handshake), 15 s idle between requests, 10 s without any traffic.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_TLS_CERT_FILE', type: 'file', default: '—', section: 'prometheus',
    description: 'PEM server certificate: serve `https` (with `_TLS_KEY_FILE`).' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_TLS_KEY_FILE', type: 'file', default: '—', section: 'prometheus',
    description: 'PEM server key.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_TLS_CLIENT_CA_FILE', type: 'file', default: '—', section: 'prometheus',
    description: 'PEM CA: scrapers must present a client certificate it signed (mTLS).' },

  // pushgateway
  { name: 'OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_ENDPOINT', type: 'url', default: 'http://localhost:9091', section: 'pushgateway',
    description: 'Pushgateway base URL (`prometheus/pushgateway`).' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_JOB', type: 'string', default: 'the service.name', section: 'pushgateway',
    description: 'The `job` label of the pushed group.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_GROUPING', type: 'key=value list', default: '—', section: 'pushgateway',
    description: 'More grouping labels, `key=value,…`, percent-decoded; values may hold `/`. A bad entry is one line and is skipped.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_USERNAME', type: 'string', default: '—', section: 'pushgateway',
    description: 'Basic-auth user for the pushes.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_PASSWORD', type: 'secret', default: '—', section: 'pushgateway',
    description: 'Basic-auth password for the pushes. Never logged.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_HEADERS', type: 'key=value list', default: '—', section: 'pushgateway',
    description: '`key=value,…` extra request headers. Values never logged.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_CERTIFICATE', type: 'file', default: 'system CAs', section: 'pushgateway',
    description: 'PEM file of CAs to trust for an `https` endpoint.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_CLIENT_KEY', type: 'file', default: '—', section: 'pushgateway',
    description: 'PEM client key for mTLS.' },
  { name: 'OTEL_EXPORTER_PROMETHEUS_PUSHGATEWAY_CLIENT_CERTIFICATE', type: 'file', default: '—', section: 'pushgateway',
    description: 'PEM client certificate for mTLS.' },

  // influxdb
  { name: 'OTEL_EXPORTER_INFLUXDB_ENDPOINT', type: 'url', default: 'http://localhost:8086', section: 'influxdb',
    description: 'Base URL of InfluxDB; the write path is appended. Userinfo in it is used as USERNAME/PASSWORD and never printed.' },
  { name: 'OTEL_EXPORTER_INFLUXDB_API', type: 'enum', default: 'v2', values: ['v1', 'v2', 'v3'], section: 'influxdb',
    description: '`v1` (`/write`), `v2` (`/api/v2/write`) or `v3` (`/api/v3/write_lp`).' },
  { name: 'OTEL_EXPORTER_INFLUXDB_DATABASE', type: 'string', default: '—', section: 'influxdb',
    description: 'v1 and v3: the database (required).' },
  { name: 'OTEL_EXPORTER_INFLUXDB_RETENTION_POLICY', type: 'string', default: 'the database\'s default', section: 'influxdb',
    description: 'v1: the retention policy.' },
  { name: 'OTEL_EXPORTER_INFLUXDB_ORG', type: 'string', default: '—', section: 'influxdb',
    description: 'v2: the organization (required).' },
  { name: 'OTEL_EXPORTER_INFLUXDB_BUCKET', type: 'string', default: '—', section: 'influxdb',
    description: 'v2: the bucket (required).' },
  { name: 'OTEL_EXPORTER_INFLUXDB_TOKEN', type: 'secret', default: '—', section: 'influxdb',
    description: 'Sent as `Authorization: Token …` (v1, v2) or `Bearer …` (v3). Never logged. Unset with v2: allowed (a 1.8 server with auth off takes it), one info line.' },
  { name: 'OTEL_EXPORTER_INFLUXDB_USERNAME', type: 'string', default: '—', section: 'influxdb',
    description: 'v1 basic-auth user.' },
  { name: 'OTEL_EXPORTER_INFLUXDB_PASSWORD', type: 'secret', default: '—', section: 'influxdb',
    description: 'v1 basic-auth password. Never logged.' },
  { name: 'OTEL_EXPORTER_INFLUXDB_PRECISION', type: 'enum', default: 'ns', values: ['ns', 'us', 'ms', 's'], section: 'influxdb',
    description: 'Timestamps are truncated to it, and the API is told in its own spelling.' },
  { name: 'OTEL_EXPORTER_INFLUXDB_COMPRESSION', type: 'enum', default: 'gzip', values: ['gzip', 'none'], section: 'influxdb',
    description: 'Request body compression.' },
  { name: 'OTEL_EXPORTER_INFLUXDB_TIMEOUT', type: 'millis', unit: 'ms', default: '10000', section: 'influxdb',
    description: 'Time per write request.' },
  { name: 'OTEL_EXPORTER_INFLUXDB_CERTIFICATE', type: 'file', default: 'system CAs', section: 'influxdb',
    description: 'PEM file of CAs to trust.' },
  { name: 'OTEL_EXPORTER_INFLUXDB_CLIENT_KEY', type: 'file', default: '—', section: 'influxdb',
    description: 'PEM client key for mTLS (with `CLIENT_CERTIFICATE`; both or neither).' },
  { name: 'OTEL_EXPORTER_INFLUXDB_CLIENT_CERTIFICATE', type: 'file', default: '—', section: 'influxdb',
    description: 'PEM client certificate chain for mTLS (with `CLIENT_KEY`).' },
  { name: 'OTEL_EXPORTER_INFLUXDB_RESOURCE_TAGS', type: 'list', default: 'service.name,service.namespace,service.instance.id,host.name', section: 'influxdb',
    description: 'Resource attributes written as tags (case-sensitive); `*` for all, `none` for none.' },

  // delivery
  { name: 'OTEL_METRICS_RETRY_INITIAL_INTERVAL', type: 'millis', unit: 'ms', default: '1000', section: 'delivery',
    description: 'First backoff ceiling (full jitter: the wait is random below it).' },
  { name: 'OTEL_METRICS_RETRY_MAX_INTERVAL', type: 'millis', unit: 'ms', default: '30000', section: 'delivery',
    description: 'Largest backoff ceiling; never above max(export interval, 2 s), so a returning collector is found within one interval.' },
  { name: 'OTEL_METRICS_RETRY_MAX_ELAPSED_TIME', type: 'millis', unit: 'ms', default: '300000', section: 'delivery',
    description: 'How long a batch is retried before it is given up; `0` disables retry.' },
  { name: 'OTEL_METRICS_QUEUE_SIZE', type: 'integer', unit: 'batches', default: '100', section: 'delivery',
    description: 'Batches the sending queue holds (the one being sent included).' },
  { name: 'OTEL_METRICS_QUEUE_MAX_BYTES', type: 'integer', unit: 'bytes', default: '16777216', section: 'delivery',
    description: 'Data waiting behind a slow or dead destination: estimated as encoded OTLP in memory, exact on disk.' },
  { name: 'OTEL_METRICS_QUEUE_DIR', type: 'directory', default: '—', section: 'delivery', top: true,
    description: 'Directory of the crash-safe spool ([spool](delivery.md#the-spool)); unset keeps the queue in memory.' },
  { name: 'OTEL_METRICS_FALLBACK_EXPORTER', type: 'string', default: '—', section: 'delivery',
    description: 'Exporter (`console`, `otlp/stdout`, a registered one) that gets what the primary could not deliver; `none` for none. Naming the primary itself or a pull exporter is one line and creates nothing.' },
  { name: 'OTEL_METRICS_FALLBACK_FAILURE_THRESHOLD', type: 'integer', default: '3', section: 'delivery',
    description: 'Consecutive failed attempts after which batches go straight to the fallback.' },
  { name: 'OTEL_METRICS_FALLBACK_PROBE_INTERVAL', type: 'millis', unit: 'ms', default: '30000', section: 'delivery',
    description: 'Time between tries of the primary while on the fallback.' },

  // instrumentation
  { name: 'OTEL_METRICS_INSTRUMENTATIONS', type: 'list', default: 'process,runtime,http', values: ['system', 'process', 'runtime', 'http', 'all', 'none'], section: 'instrumentation', top: true,
    description: 'Producers to start, or names given to `registerProducer`. An unknown name is one line and is skipped.' },
  { name: 'OTEL_METRICS_SYSTEM_INTERFACES', type: 'list', default: 'all', section: 'instrumentation',
    description: 'Network interface globs (`*`, `?`); `!` excludes, e.g. `eth*,!lo`.' },
  { name: 'OTEL_METRICS_SYSTEM_DEVICES', type: 'list', default: '!loop*,!ram*', section: 'instrumentation',
    description: 'Block device globs for `system.disk.*`.' },
  { name: 'OTEL_METRICS_SYSTEM_MOUNTS', type: 'list', default: 'all real mounts', section: 'instrumentation',
    description: 'Mountpoint globs for `system.filesystem.*` (exclude hanging network mounts here: statfs blocks).' },
  { name: 'OTEL_METRICS_SYSTEM_CONNECTIONS', type: 'boolean', default: 'false', section: 'instrumentation',
    description: '`true` adds `system.network.connection.count` (off: reading `/proc/net/tcp` costs more than all other system metrics together).' },
  { name: 'OTEL_METRICS_HTTP_BODY_SIZES', type: 'boolean', default: 'false', section: 'instrumentation',
    description: '`true` adds `http.server.request.body.size` and `.response.body.size` (off: they are two SDK records per request, several times the HTTP producer\'s per-request cost, whose duration records none).' },

  // health
  { name: 'OTEL_METRICS_HEALTH_PORT', type: 'port', default: 'off', section: 'health',
    description: 'Serve `/healthz` and `/readyz` on this port.' },
  { name: 'OTEL_METRICS_HEALTH_HOST', type: 'string', default: '127.0.0.1', section: 'health',
    description: 'Address the health endpoint binds.' },
  { name: 'OTEL_METRICS_HEALTH_MAX_CONNECTIONS', type: 'integer', default: '64', section: 'health',
    description: 'Concurrent connections to the health port; more are closed on accept; timeouts as for the metrics port.' },
  { name: 'OTEL_METRICS_HEALTH_CPU_THRESHOLD', type: 'number', unit: '1', default: '0.9', section: 'health',
    description: 'Process CPU utilization, in (0, 1], at which `/readyz` fails.' },
  { name: 'OTEL_METRICS_HEALTH_MEMORY_THRESHOLD', type: 'number', unit: '1', default: '0.95', section: 'health',
    description: 'Memory utilization, in (0, 1], at which `/readyz` fails (against the cgroup limit when set, else the host).' },
  { name: 'OTEL_METRICS_HEALTH_EVENTLOOP_P99_MILLIS', type: 'millis', unit: 'ms', default: '1000', section: 'health',
    description: 'Event-loop delay p99 at which `/readyz` fails.' },
  { name: 'OTEL_METRICS_HEALTH_EXPORT_STALE_MILLIS', type: 'millis', unit: 'ms', default: '300000', section: 'health',
    description: 'An exporter with no success for this long is reported not ok (status `degraded`; no probe fails).' },

  // cluster
  { name: 'OTEL_METRICS_CLUSTER', type: 'enum', default: 'on', values: ['on', 'off'], section: 'cluster',
    description: '`off`: no cluster aggregation (each worker then serves Prometheus itself).' },
  { name: 'OTEL_METRICS_CLUSTER_SCRAPE_TIMEOUT', type: 'millis', unit: 'ms', default: '1000', section: 'cluster',
    description: 'How long a scrape of the primary waits for its workers\' answers.' },
  { name: 'OTEL_METRICS_CLUSTER_GAUGE_AGGREGATION', type: 'string', default: 'label', values: ['label', 'sum', 'min', 'max', 'last'], section: 'cluster',
    description: 'Gauges across workers: `label` (one series per worker), `sum`, `min`, `max` or `last`; or per instrument, `queue.depth=sum,pool.size=max,*=label`.' },
  { name: 'OTEL_METRICS_CLUSTER_SYSTEM_ONCE', type: 'boolean', default: 'true', section: 'cluster',
    description: '`false` starts the `system` producer in every worker too (the primary keeps only its own).' },
  { name: 'OTEL_METRICS_THREADS', type: 'enum', default: 'on', values: ['on', 'off'], section: 'cluster',
    description: '`off`: worker threads keep the no-op provider.' },

  // detected, never set for us
  { name: 'KUBERNETES_SERVICE_HOST', type: 'string', default: '—', section: 'detected',
    description: 'Read by the doctor only: when set, the process counts as containerised, and a Prometheus endpoint bound to loopback gets a warning.' },
  { name: 'pm_id', type: 'string', default: '—', section: 'detected',
    description: 'Set by pm2: its cluster workers keep serving their own Prometheus endpoint, as without a cluster.' },
];
