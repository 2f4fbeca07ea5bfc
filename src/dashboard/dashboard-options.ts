import { DEFAULT_LIMITS, type StoreLimits } from './store-limits';

/** How `otel-metrics-pipeline dashboard` runs. */
export interface DashboardOptions {
  /** Address the page and both receivers bind. Default `127.0.0.1`. `--host`. */
  host: string;
  /** Port of the page. Default 18888. `--port`. */
  port: number;
  /** Port of OTLP/HTTP (protobuf and JSON). Default 4318. `--otlp-http-port`. */
  otlpHttpPort: number;
  /** Port of OTLP/gRPC. Default 4317. `--otlp-grpc-port`. */
  otlpGrpcPort: number;
  /** No login token; only allowed on a loopback host. Default false. `--allow-anonymous`. */
  allowAnonymous: boolean;
  /** Memory bounds; see {@link StoreLimits}. */
  limits: StoreLimits;
}

/** Usage text of the dashboard command. */
export const DASHBOARD_USAGE = `usage: otel-metrics-pipeline dashboard [options]

A live local view: receives OTLP metrics and shows them at http://127.0.0.1:18888.
  --port N                   page port (default 18888)
  --otlp-http-port N         OTLP/HTTP port, protobuf and JSON on /v1/metrics (default 4318)
  --otlp-grpc-port N         OTLP/gRPC port (default 4317)
  --host ADDR                address to bind (default 127.0.0.1); beyond loopback needs the token
  --allow-anonymous          no login token (loopback only)
  --max-points-per-series N  points kept per series (default ${DEFAULT_LIMITS.maxPointsPerSeries})
  --max-series-per-metric N  series kept per metric (default ${DEFAULT_LIMITS.maxSeriesPerMetric})
  --max-series N             series kept in all (default ${DEFAULT_LIMITS.maxSeries})
`;

const PORTS = { '--port': 'port', '--otlp-http-port': 'otlpHttpPort', '--otlp-grpc-port': 'otlpGrpcPort' } as const;
const LIMITS = { '--max-points-per-series': 'maxPointsPerSeries', '--max-series-per-metric': 'maxSeriesPerMetric', '--max-series': 'maxSeries' } as const;

/** Parses the command's arguments; returns an error message for a bad one. */
export function parseDashboardArgs(args: string[]): DashboardOptions | { error: string } | 'help' {
  const options: DashboardOptions = { host: '127.0.0.1', port: 18888, otlpHttpPort: 4318, otlpGrpcPort: 4317, allowAnonymous: false, limits: { ...DEFAULT_LIMITS } };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--allow-anonymous') options.allowAnonymous = true;
    else if (flag === '--host') {
      const host = value();
      if (!host) return { error: '--host needs an address' };
      options.host = host;
    } else if (flag in PORTS) {
      const v = value();
      const n = /^\d+$/.test(v ?? '') ? Number(v) : NaN;
      if (!(n >= 1 && n <= 65535)) return { error: `${flag} needs a port from 1 to 65535, got ${JSON.stringify(v)}` };
      options[PORTS[flag as keyof typeof PORTS]] = n;
    } else if (flag in LIMITS) {
      const v = value();
      const n = /^\d+$/.test(v ?? '') ? Number(v) : NaN;
      if (!(n >= 1)) return { error: `${flag} needs a whole number >= 1, got ${JSON.stringify(v)}` };
      options.limits[LIMITS[flag as keyof typeof LIMITS]] = n;
    } else return { error: `unknown option ${JSON.stringify(arg)}` };
  }
  if (options.allowAnonymous && !isLoopback(options.host)) {
    return { error: `--allow-anonymous with --host ${options.host} would show every metric to the network without a login; bind 127.0.0.1 or keep the token` };
  }
  return options;
}

/** Whether `host` is a loopback address or name. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
