import { processExporters, type ExporterLookup } from '../../exporters/registry';

/**
 * The lines the preload says while it assembles the pipeline (not while it reads variables),
 * in one place so that `doctor` reports them in the same words.
 */
export const assemblyProblems = {
  unknownExporter: (name: string, registry: ExporterLookup = processExporters): string =>
    `unknown exporter ${JSON.stringify(name)} in OTEL_METRICS_EXPORTER; supported: ${registry.names().join(', ')}; ignoring it, the other exporters keep working`,
  fallbackIsPrimary: (spec: string): string =>
    `OTEL_METRICS_FALLBACK_EXPORTER=${spec} is the exporter it would stand in for; ${spec} runs without a fallback`,
  unknownFallback: (spec: string, registry: ExporterLookup = processExporters): string =>
    `unknown exporter ${JSON.stringify(spec)} in OTEL_METRICS_FALLBACK_EXPORTER; supported: ${registry.names().filter((n) => n !== 'none').join(', ')}; running without a fallback`,
  pullFallback: (spec: string): string =>
    `OTEL_METRICS_FALLBACK_EXPORTER=${spec} is a pull exporter and cannot receive pushed batches; running without a fallback`,
};
