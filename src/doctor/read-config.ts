import type { ResolvedConfig } from '../config/resolve-config';
import { resolveConfig } from '../config/resolve-config';
import { EnvReader } from '../../core/env-reader';
import { ConfigError } from '../../core/errors';
import type { MetricsOptions } from '../metrics-options';
import { exporterOptionsOf } from '../config/normalise-options';
import { getExporterPlugin } from '../../exporters/registry';
import { readHealthConfig, type HealthConfig } from '../../instrumentation/health/health-config';
import { resolveInstrumentations } from '../../instrumentation/registry';
import { preloadProblems } from './preload-problems';
import type { EnvRead, SelectedExporter } from './selected-exporter';

export type { EnvRead, SelectedExporter } from './selected-exporter';

/** What the preload's own configuration code made of the environment. */
export interface DoctorConfig {
  core?: ResolvedConfig;
  exporters: SelectedExporter[];
  instrumentations: string[];
  /** Lines the preload would print, in its words and order. */
  problems: string[];
  /** Every variable read, in order. */
  reads: EnvRead[];
  /** The health endpoint's settings (`OTEL_METRICS_HEALTH_*`). */
  health?: HealthConfig;
}

/**
 * Runs the preload's configuration code (resolveConfig, each selected plug-in's readConfig,
 * the instrumentation list) over `env` with an EnvReader that records each read and collects
 * warnings instead of printing them. A ConfigError from code options becomes a problem.
 */
export function readDoctorConfig(env: NodeJS.ProcessEnv, options: MetricsOptions = {}): DoctorConfig {
  const problems: string[] = [];
  const reads: EnvRead[] = [];
  const reader = new EnvReader(env, (line) => problems.push(line), (name, value) => reads.push({ name, value }));
  const out: DoctorConfig = { exporters: [], instrumentations: [], problems, reads };
  try {
    out.core = resolveConfig(options, reader);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(err.message);
    return out;
  }
  const names: Array<[string, 'primary' | 'fallback']> = out.core.exporters
    .filter((spec): spec is string => typeof spec === 'string')
    .map((name) => [name, 'primary']);
  // The preload reads a fallback's configuration only when it can use it: a push plug-in, behind a push primary.
  const fallback = out.core.delivery.fallbackExporter;
  const pushPrimary = names.some(([n]) => getExporterPlugin(n)?.kind !== 'pull');
  if (typeof fallback === 'string' && getExporterPlugin(fallback)?.kind === 'push' && pushPrimary && !names.some(([n]) => n === fallback)) names.push([fallback, 'fallback']);
  for (const [name, role] of names) {
    const plugin = getExporterPlugin(name);
    const selected: SelectedExporter = { name, role, plugin, reads: [] };
    out.exporters.push(selected);
    if (!plugin?.readConfig) continue;
    const from = reads.length;
    try {
      selected.config = plugin.readConfig(reader, exporterOptionsOf(options)[name]);
    } catch (err) {
      problems.push(err instanceof ConfigError ? err.message : `exporter ${JSON.stringify(name)} failed to start (${(err as Error).message}); the other exporters keep working`);
    }
    selected.reads = reads.slice(from);
  }
  out.instrumentations = resolveInstrumentations(reader, options.instrumentations);
  if (!out.core.disabled) out.health = readHealthConfig(reader);
  problems.push(...preloadProblems(out.core, out.exporters));
  return out;
}
