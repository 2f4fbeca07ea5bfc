import type { ResolvedConfig } from '../config/resolve-config';
import { getExporterPlugin } from '../../exporters/registry';
import { assemblyProblems } from '../pipeline/assembly-problems';
import type { SelectedExporter } from './selected-exporter';

/**
 * The problems the preload reports while it assembles the pipeline rather than while it reads
 * the configuration: an unknown exporter name and an unusable fallback, in the preload's own
 * words (src/pipeline/assembly-problems.ts); test/doctor/doctor-config.test.ts runs the real
 * preload and checks the two agree.
 */
export function preloadProblems(core: ResolvedConfig, exporters: readonly SelectedExporter[]): string[] {
  const out: string[] = [];
  const primaries = exporters.filter((e) => e.role === 'primary');
  for (const e of primaries) {
    if (!e.plugin) out.push(assemblyProblems.unknownExporter(e.name));
  }
  const spec = core.delivery.fallbackExporter;
  if (typeof spec !== 'string' || spec === 'none') return out;
  // The fallback is built once per push exporter's delivery chain; each problem is said once.
  const pushPrimaries = primaries.filter((e) => e.plugin?.kind !== 'pull');
  if (pushPrimaries.length === 0) return out;
  if (pushPrimaries.some((e) => e.name === spec)) out.push(assemblyProblems.fallbackIsPrimary(spec));
  if (pushPrimaries.every((e) => e.name === spec)) return out;
  const plugin = getExporterPlugin(spec);
  if (!plugin) out.push(assemblyProblems.unknownFallback(spec));
  else if (plugin.kind !== 'push') out.push(assemblyProblems.pullFallback(spec));
  return out;
}
