import * as protobuf from 'protobufjs';
import { DASHBOARD_USAGE, isLoopback, parseDashboardArgs } from './dashboard-options';
import { startDashboard } from './start-dashboard';

/**
 * `otel-metrics-pipeline dashboard`: starts the dashboard and prints where to send and where
 * to look, the login URL with its token included (that line is the only place the token shows).
 * Runs until SIGINT or SIGTERM. Exit code 2 for bad arguments, 1 when a port is taken.
 */
export function runDashboardCommand(args: string[]): void {
  const parsed = parseDashboardArgs(args);
  if (parsed === 'help') {
    process.stdout.write(DASHBOARD_USAGE);
    return;
  }
  if ('error' in parsed) {
    process.stderr.write(`otel-metrics-pipeline dashboard: ${parsed.error}\n${DASHBOARD_USAGE}`);
    process.exitCode = 2;
    return;
  }
  // 64-bit fields as plain numbers instead of a Long object each (two per data point): this
  // process decodes nothing else, and timestamps need no precision below a microsecond.
  protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
  protobuf.configure();
  startDashboard(parsed).then(
    (dashboard) => {
      const lines = [
        'otel-metrics-pipeline dashboard',
        `  OTLP/HTTP  ${dashboard.otlpHttpUrl}  (protobuf and JSON)`,
        `  OTLP/gRPC  ${dashboard.otlpGrpcUrl}`,
        `  Login:     ${dashboard.loginUrl}`,
        `  Memory:    ${parsed.limits.maxPointsPerSeries} points per series, ${parsed.limits.maxSeriesPerMetric} series per metric, ${parsed.limits.maxSeries} series in all; the oldest go first`,
      ];
      if (!isLoopback(parsed.host)) lines.push(`  Note: the OTLP ports on ${parsed.host} take metrics from anyone who can reach them.`);
      process.stdout.write(`${lines.join('\n')}\n`);
      const stop = () => {
        dashboard.close().then(() => process.exit(0), () => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: Error) => {
      process.stderr.write(`otel-metrics-pipeline dashboard: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
