/** Outcome of one check: `skip` did not run (no time left, or nothing to check). */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One line of a destination's or the spool's live check. */
export interface Check {
  /** `dns`, `tcp`, `tls`, `protocol`, `export`, `port`, `bind`, `directory`, `space`, `files`. */
  name: string;
  status: CheckStatus;
  /** What was found, in words; never holds a secret. */
  detail: string;
  /** Time the step took, in ms, when it touched the network or the disk. */
  millis?: number;
  /** Structured facts for `--json` (addresses, certificate fields, status codes, file counts). */
  data?: Record<string, unknown>;
}

/** One effective setting and where it came from. */
export interface Setting {
  /** e.g. `exportIntervalMillis`, `otlp.endpoint`. */
  name: string;
  /** The value as the pipeline uses it, secrets redacted. */
  value: string;
  /** `default`, `code`, or the variable that set it (two names joined by ` + ` when both merge). */
  source: string;
  /** `specific` (`OTEL_…_METRICS_…`), `generic` (`OTEL_…`), `env` (no twin), `default` or `code`. */
  sourceKind: 'specific' | 'generic' | 'env' | 'default' | 'code';
  /** e.g. `invalid value ignored`, `/v1/metrics appended`. */
  note?: string;
}

/** A configured destination and its checks. */
export interface DestinationReport {
  /** The exporter name it is selected by. */
  name: string;
  /** `primary`, or `fallback` for `OTEL_METRICS_FALLBACK_EXPORTER`. */
  role: 'primary' | 'fallback';
  kind: 'push' | 'pull' | 'unknown';
  /** Where it sends or listens, redacted. */
  target?: string;
  status: CheckStatus;
  checks: Check[];
}

/** The spool directory's checks (`OTEL_METRICS_QUEUE_DIR`). */
export interface SpoolReport {
  directory: string;
  status: CheckStatus;
  checks: Check[];
}

/** The health endpoint's checks (`OTEL_METRICS_HEALTH_PORT`). */
export interface HealthPortReport {
  /** `http://host:port`. */
  target: string;
  status: CheckStatus;
  checks: Check[];
}

/** Everything the doctor found; `--json` prints exactly this. */
export interface DoctorReport {
  /** Bumped when a field changes meaning. */
  schemaVersion: 1;
  /** 0 all good, 1 a destination or the spool fails, 2 bad configuration. */
  exitCode: 0 | 1 | 2;
  /** Whether the test export was sent (`--no-send` turns it off). */
  sent: boolean;
  settings: Setting[];
  /** Every line the preload would print about the configuration, in its words. */
  problems: string[];
  /** Facts worth knowing that are not problems (disabled, no exporter). */
  notes: string[];
  destinations: DestinationReport[];
  spool?: SpoolReport;
  /** Present when `OTEL_METRICS_HEALTH_PORT` is set. */
  health?: HealthPortReport;
}

/** The worst status among `checks`. */
export function worst(checks: readonly { status: CheckStatus }[]): CheckStatus {
  const order: CheckStatus[] = ['fail', 'warn', 'ok', 'skip'];
  for (const status of order) if (checks.some((c) => c.status === status)) return status;
  return 'skip';
}

/** 2 when the configuration has problems, else 1 when a destination, the spool or the health port fails, else 0. */
export function exitCodeOf(report: Omit<DoctorReport, 'exitCode'>): 0 | 1 | 2 {
  if (report.problems.length > 0) return 2;
  const failing = report.destinations.some((d) => d.status === 'fail') || report.spool?.status === 'fail' || report.health?.status === 'fail';
  return failing ? 1 : 0;
}
