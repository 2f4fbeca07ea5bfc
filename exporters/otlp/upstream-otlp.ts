import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { EnvReader } from '../../core/env-reader';
import type { OtlpOptions, OtlpProtocol } from './otlp-options';

/** Which OTLP exporter `otlp` builds: ours (`builtin`) or upstream's package for the protocol. */
export const OTLP_IMPLEMENTATIONS = ['builtin', 'upstream'] as const;
/** One of {@link OTLP_IMPLEMENTATIONS}. */
export type OtlpImplementation = (typeof OTLP_IMPLEMENTATIONS)[number];

/** The switch for users who may run only upstream's transports; default `builtin`. */
export const OTLP_IMPLEMENTATION_VAR = 'OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION';

/** Upstream's OTLP metric exporter package for each wire protocol. */
export const UPSTREAM_OTLP_PACKAGES: Readonly<Record<OtlpProtocol, string>> = {
  grpc: '@opentelemetry/exporter-metrics-otlp-grpc',
  'http/protobuf': '@opentelemetry/exporter-metrics-otlp-proto',
  'http/json': '@opentelemetry/exporter-metrics-otlp-http',
};

/**
 * Reads the switch. Upstream's packages are optional peers: one not installed is one line naming
 * what to install, and the built-in exporter is used, so a missing package never costs the data.
 * Only resolved here, not loaded: the module loads on the first export with data.
 */
export function readOtlpImplementation(env: EnvReader, protocol: OtlpProtocol, resolve: (id: string) => string = require.resolve): OtlpImplementation {
  const chosen = env.oneOf(OTLP_IMPLEMENTATION_VAR, OTLP_IMPLEMENTATIONS, 'builtin');
  if (chosen === 'builtin') return chosen;
  const pkg = UPSTREAM_OTLP_PACKAGES[protocol];
  try {
    resolve(pkg);
    return chosen;
  } catch {
    env.warn(`${OTLP_IMPLEMENTATION_VAR}=upstream needs ${pkg} for protocol ${protocol}, which is not installed (npm install ${pkg}); using the built-in OTLP exporter`);
    return 'builtin';
  }
}

/** What upstream's constructors take from our code options; the rest it reads from OTEL_EXPORTER_OTLP_* itself. */
export interface UpstreamOtlpOptions {
  url?: string;
  headers?: Record<string, string>;
  timeoutMillis?: number;
  compression?: 'gzip' | 'none';
}

/**
 * Only what the app set in code goes to the constructor, so every env variable is read by
 * upstream's own configuration code, as it would be without us. TLS files and `insecure` are
 * upstream's env variables only (its constructors take agents and credentials, not paths).
 */
export function upstreamOtlpOptions(options: OtlpOptions = {}): UpstreamOtlpOptions {
  const out: UpstreamOtlpOptions = {};
  if (options.endpoint !== undefined) out.url = options.endpoint;
  if (options.headers !== undefined) out.headers = options.headers;
  if (options.timeoutMillis !== undefined) out.timeoutMillis = options.timeoutMillis;
  if (options.compression !== undefined) out.compression = options.compression;
  return out;
}

/**
 * Upstream's `OTLPMetricExporter` for the protocol. The delivery chain around it is ours all the
 * same (timeout, retry, queue, spool, fallback); its HTTP transport also retries on its own.
 */
export function createUpstreamOtlpExporter(protocol: OtlpProtocol, options: UpstreamOtlpOptions): PushMetricExporter {
  // An optional peer, loaded only when chosen and only on the first export with data.
  const { OTLPMetricExporter } = require(UPSTREAM_OTLP_PACKAGES[protocol]) as { OTLPMetricExporter: new (options: UpstreamOtlpOptions) => PushMetricExporter };
  return new OTLPMetricExporter(options);
}
