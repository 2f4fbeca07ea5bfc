import type { ResolvedConfig } from '../config/resolve-config';
import { exporterNames, getExporterPlugin } from '../../exporters/registry';
import type { SelectedExporter } from './read-config';

/**
 * The problems the preload reports while it assembles the pipeline rather than while it reads
 * the configuration: an unknown exporter name and an unusable fallback. The wording copies
 * src/pipeline/readers.ts and delivery-chain.ts, whose messages are built inline;
 * test/doctor/doctor-config.test.ts runs the real preload and checks the two agree.
 */
export function preloadProblems(core: ResolvedConfig, exporters: readonly SelectedExporter[]): string[] {
  const out: string[] = [];
  const primaries = exporters.filter((e) => e.role === 'primary');
  for (const e of primaries) {
    if (!e.plugin) out.push(`unknown exporter ${JSON.stringify(e.name)} in OTEL_METRICS_EXPORTER; supported: ${exporterNames().join(', ')}; ignoring it, the other exporters keep working`);
  }
  const spec = core.delivery.fallbackExporter;
  if (typeof spec !== 'string' || spec === 'none') return out;
  // The fallback is built once per push exporter's delivery chain; each problem is said once.
  const pushPrimaries = primaries.filter((e) => e.plugin?.kind !== 'pull');
  if (pushPrimaries.length === 0) return out;
  if (pushPrimaries.some((e) => e.name === spec)) out.push(`OTEL_METRICS_FALLBACK_EXPORTER=${spec} is the exporter it would stand in for; ${spec} runs without a fallback`);
  if (pushPrimaries.every((e) => e.name === spec)) return out;
  const plugin = getExporterPlugin(spec);
  if (!plugin) out.push(`unknown exporter ${JSON.stringify(spec)} in OTEL_METRICS_FALLBACK_EXPORTER; supported: ${exporterNames().filter((n) => n !== 'none').join(', ')}; running without a fallback`);
  else if (plugin.kind !== 'push') out.push(`OTEL_METRICS_FALLBACK_EXPORTER=${spec} is a pull exporter and cannot receive pushed batches; running without a fallback`);
  return out;
}
