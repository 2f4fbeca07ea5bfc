import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { EnvReader } from '../../core/env-reader';
import { error } from '../../core/diag';
import type { MetricsOptions } from '../metrics-options';
import { createProducers, resolveInstrumentations } from '../../instrumentation/registry';

/**
 * Starts the metric producers selected by `OTEL_METRICS_INSTRUMENTATIONS` (or the code list) on
 * the provider's meter, less `skip` (a cluster worker leaves `system` to the primary). A producer that fails to start costs only itself. Returns the stop function.
 */
export function startProducers(provider: MeterProvider, env: EnvReader, options: MetricsOptions, skip: readonly string[] = []): () => void {
  const names = resolveInstrumentations(env, options.instrumentations).filter((n) => !skip.includes(n));
  if (names.length === 0) return () => {};
  const meter = provider.getMeter('otel-metrics-pipeline/instrumentation');
  const started: Array<{ stop(): void }> = [];
  for (const producer of safeCreate(names, options.instrumentationOptions)) {
    try {
      producer.start(meter);
      started.push(producer);
    } catch (err) {
      error(`instrumentation ${producer.name} failed to start (${(err as Error).message}); the others keep working`);
    }
  }
  return () => {
    for (const p of started.splice(0)) {
      try {
        p.stop();
      } catch {
        /* stopping is best effort */
      }
    }
  };
}

function safeCreate(names: string[], options: Record<string, unknown> | undefined): ReturnType<typeof createProducers> {
  const out: ReturnType<typeof createProducers> = [];
  for (const name of names) {
    try {
      out.push(...createProducers([name], options));
    } catch (err) {
      error(`instrumentation ${name} failed to start (${(err as Error).message}); the others keep working`);
    }
  }
  return out;
}
