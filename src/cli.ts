#!/usr/bin/env node
/**
 * `otel-metrics-pipeline` command line: `otel-metrics-pipeline doctor [--json] [--no-send]
 * [--timeout MS]`, and `otel-metrics-pipeline dashboard [options]` (src/dashboard/). Exit codes: 0 all good, 1 a destination or the spool fails, 2 bad
 * configuration (or bad arguments). It never hangs: every check is bounded, and a watchdog
 * ends the process if anything still runs past the bound.
 */
import { runDoctor, DEFAULT_DOCTOR_TIMEOUT_MILLIS } from './doctor/run-doctor';
import { formatText } from './doctor/format-text';

const USAGE = `usage: otel-metrics-pipeline doctor [--json] [--no-send] [--timeout MS]
       otel-metrics-pipeline dashboard [--port N] [--otlp-http-port N] [--otlp-grpc-port N] [--allow-anonymous] ...

Checks the OTEL_* configuration the preload would use, and every destination live.
  --json        print one JSON document instead of text
  --no-send     do not send the test metric otel_metrics_pipeline.doctor.check
  --timeout MS  time for all checks of one destination (default ${DEFAULT_DOCTOR_TIMEOUT_MILLIS})
Exit code: 0 all good, 1 a destination or the spool fails, 2 bad configuration.

dashboard: a live local view of OTLP metrics at http://127.0.0.1:18888 (dashboard --help).
`;

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    process.exitCode = command === undefined ? 2 : 0;
    return;
  }
  if (command === 'dashboard') {
    // Loaded only for this command: the doctor (and its start-up) never pays for protobufjs.
    const { runDashboardCommand } = require('./dashboard/run-dashboard-command') as typeof import('./dashboard/run-dashboard-command');
    return runDashboardCommand(rest);
  }
  if (command !== 'doctor') return usageError(`unknown command ${JSON.stringify(command)}`);
  let json = false;
  let send = true;
  let timeoutMillis = DEFAULT_DOCTOR_TIMEOUT_MILLIS;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--no-send') send = false;
    else if (arg === '--timeout' || arg.startsWith('--timeout=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[++i];
      timeoutMillis = /^\d+$/.test(value ?? '') ? Number(value) : NaN;
      if (!(timeoutMillis > 0)) return usageError(`--timeout needs a whole number of milliseconds > 0, got ${JSON.stringify(value)}`);
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      return;
    } else return usageError(`unknown option ${JSON.stringify(arg)}`);
  }
  // Destinations run in parallel, each within its budget; the spool and start-up get a little more.
  // Ref'd on purpose: the exporter's sockets and the checks' timers are unref'd (as in an app),
  // so this timer is what keeps the process waiting for them, and it bounds the wait.
  setTimeout(() => {
    process.stderr.write(`otel-metrics-pipeline doctor: gave up after ${timeoutMillis + 5000} ms\n`);
    process.exit(1);
  }, timeoutMillis + 5000);
  runDoctor({ send, timeoutMillis }).then(
    (report) => finish(json ? `${JSON.stringify(report, null, 2)}\n` : formatText(report), report.exitCode),
    (err: Error) => {
      process.stderr.write(`otel-metrics-pipeline doctor: ${err.message}\n`);
      process.exit(1);
    },
  );
}

// Exit once the output is written: a DNS lookup still pending in the thread pool must not hold the process.
function finish(text: string, code: number): void {
  process.stdout.write(text, () => process.exit(code));
}

function usageError(message: string): void {
  process.stderr.write(`otel-metrics-pipeline: ${message}\n${USAGE}`);
  process.exitCode = 2;
}

main(process.argv.slice(2));
