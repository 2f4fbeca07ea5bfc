import type { MetricsOptions } from '../metrics-options';
import { exporterOptionsOf } from '../config/normalise-options';
import type { OtlpConfig } from '../../exporters/otlp/otlp-config';
import type { InfluxConfig } from '../../exporters/influx/influx-options';
import type { PrometheusConfig } from '../../exporters/prometheus/prometheus-config';
import type { PushgatewayConfig } from '../../exporters/prometheus/pushgateway-config';
import { Budget } from './budget';
import { checkOtlp } from './check-otlp';
import { checkHealthPort } from './check-health-port';
import { checkInflux } from './check-influx';
import { checkPrometheus } from './check-prometheus';
import { checkPushgateway } from './check-pushgateway';
import { checkSpool } from './check-spool';
import { containerHint } from './container-env';
import { coreSettings } from './core-settings';
import { exitCodeOf, worst, type DestinationReport, type DoctorReport, type HealthPortReport, type SpoolReport } from './doctor-report';
import { hostForUrl } from './port-holder';
import { exporterSettings } from './exporter-settings';
import { readDoctorConfig, type SelectedExporter } from './read-config';
import { redact } from '../../core/redact';
import { StderrCapture } from './stderr-capture';
import { buildTestBatch } from './test-batch';

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  /** Environment to check; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Send the test metric `otel_metrics_pipeline.doctor.check`; default true (`--no-send` turns it off). */
  send?: boolean;
  /** Time allowed for all checks of one destination, in ms; default 5000 (`--timeout`). */
  timeoutMillis?: number;
  /** The code options the app passes to `startMetrics`, to check them too; default none. */
  metricsOptions?: MetricsOptions;
}

/** Default time for all checks of one destination together, in ms. */
export const DEFAULT_DOCTOR_TIMEOUT_MILLIS = 5000;

/**
 * Reads the configuration with the preload's own code, then checks every destination live
 * (in parallel, each within its budget) and the spool. Never rejects for a network problem;
 * everything it returns is scrubbed of secrets.
 */
export async function runDoctor(o: DoctorOptions = {}): Promise<DoctorReport> {
  const env = o.env ?? process.env;
  const options = o.metricsOptions ?? {};
  const send = o.send ?? true;
  const timeout = o.timeoutMillis ?? DEFAULT_DOCTOR_TIMEOUT_MILLIS;
  const capture = new StderrCapture();
  capture.start();
  try {
    const cfg = readDoctorConfig(env, options);
    const problems = [...new Set(cfg.problems)];
    const core = cfg.core;
    const settings = core ? coreSettings(core, options, cfg.reads, problems, cfg.instrumentations) : [];
    for (const e of cfg.exporters) settings.push(...exporterSettings(e, exporterOptionsOf(options)[e.name], problems));
    const notes: string[] = [];
    if (core?.disabled) notes.push('OTEL_SDK_DISABLED=true: the preload does nothing and no metrics are sent; the checks below show what would happen without it');
    if (core && core.exporters.length === 0) notes.push('no exporter is selected (OTEL_METRICS_EXPORTER=none): metrics go nowhere');
    const batch = send && core ? await buildTestBatch(core.resourceAttributes) : undefined;
    const said = (prefix: string): string[] => capture.lines.filter((l) => l.startsWith(prefix));
    const container = containerHint(env);
    const checked = cfg.exporters.filter((e) => e.role === 'primary' || (e.plugin && e.plugin.kind === 'push'));
    const destinations = await Promise.all(checked.map((e) => checkDestination(e, new Budget(timeout), batch, said, container)));
    let spool: SpoolReport | undefined;
    const directory = core?.delivery.queue?.directory;
    if (core && directory !== undefined && cfg.exporters.some((e) => e.role === 'primary' && e.plugin?.kind !== 'pull')) {
      const checks = await checkSpool(directory, core.delivery.queue!.maxBytes);
      spool = { directory, status: worst(checks), checks };
    }
    let health: HealthPortReport | undefined;
    if (cfg.health?.port !== undefined) {
      const checks = await checkHealthPort({ ...cfg.health, port: cfg.health.port }, new Budget(timeout));
      health = { target: `http://${hostForUrl(cfg.health.host)}:${cfg.health.port}`, status: worst(checks), checks };
    }
    const draft = { schemaVersion: 1 as const, sent: batch !== undefined, settings, problems, notes, destinations, ...(spool ? { spool } : {}), ...(health ? { health } : {}) };
    const report: DoctorReport = { ...draft, exitCode: exitCodeOf(draft) };
    const secrets = redact.secretsIn(env);
    return JSON.parse(JSON.stringify(report), (_k, v: unknown) => (typeof v === 'string' ? redact.scrub(v, secrets) : v)) as DoctorReport;
  } finally {
    capture.stop();
  }
}

async function checkDestination(e: SelectedExporter, budget: Budget, batch: Parameters<typeof checkOtlp>[1]['batch'], said: (p: string) => string[], container: string | undefined): Promise<DestinationReport> {
  const base = { name: e.name, role: e.role, kind: e.plugin?.kind ?? 'unknown' } as const;
  if (!e.plugin) return { ...base, status: 'fail', checks: [{ name: 'exporter', status: 'fail', detail: 'unknown exporter name: the preload ignores it (see the problems)' }] };
  if (e.config === undefined && e.plugin.readConfig) return { ...base, status: 'fail', checks: [{ name: 'config', status: 'fail', detail: 'its configuration could not be read (see the problems)' }] };
  if (e.name === 'otlp') {
    const c = e.config as OtlpConfig;
    const checks = await checkOtlp(c, { budget, batch, said });
    return { ...base, target: `${c.protocol} ${redact.url(c.url)}`, status: worst(checks), checks };
  }
  if (e.name === 'prometheus') {
    const c = e.config as PrometheusConfig;
    const checks = await checkPrometheus(c, budget, container);
    return { ...base, target: `http://${c.host}:${c.port}/metrics`, status: worst(checks), checks };
  }
  if (e.name === 'influxdb') {
    const c = e.config as InfluxConfig;
    const checks = await checkInflux(c, budget, batch !== undefined);
    return { ...base, target: `influxdb ${c.api} ${redact.url(c.endpoint)}`, status: worst(checks), checks };
  }
  if (e.name === 'prometheus/pushgateway') {
    const c = e.config as PushgatewayConfig;
    const checks = await checkPushgateway(c, budget, batch !== undefined);
    return { ...base, target: redact.url(c.endpoint), status: worst(checks), checks };
  }
  if (e.name === 'console' || e.name === 'otlp/stdout') {
    return { ...base, target: 'stdout', status: 'ok', checks: [{ name: 'output', status: 'ok', detail: "writes to the app's stdout: nothing to check over the network" }] };
  }
  return { ...base, status: 'skip', checks: [{ name: 'live', status: 'skip', detail: 'no live check for this exporter' }] };
}
