import type { InstrumentationScope } from '@opentelemetry/core';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { DirectSources, ProducerContext } from '../../core/direct-source';
import type { EnvReader } from '../../core/env-reader';
import type { Log } from '../../core/log';
import type { MetricsOptions } from '../metrics-options';
import { ConfigError } from '../../core/errors';
import { createProducers, selectInstrumentations, warnUnknown, type ProducerRegistry } from '../../instrumentation/registry';

/** The pipeline's own: where producer names are looked up, and where lines go. */
export interface ProducerSources {
  registry: ProducerRegistry;
  log: Log;
  /** The pipeline's direct sources for the producers' meter (DirectMetrics.sourcesFor); absent: SDK instruments only. */
  direct?: (scope: InstrumentationScope) => DirectSources;
}

/** The meter every producer starts on. */
// As the SDK reports a meter got by name alone (schemaUrl present and undefined).
const PRODUCER_SCOPE: InstrumentationScope = { name: 'otel-metrics-pipeline/instrumentation', version: '', schemaUrl: undefined };

/**
 * Starts the metric producers selected by `OTEL_METRICS_INSTRUMENTATIONS` (or the code list) on
 * the provider's meter, less `skip` (a cluster worker leaves `system` to the primary). A producer that fails to start costs only itself. Returns the stop function.
 */
export function startProducers(provider: MeterProvider, env: EnvReader, options: MetricsOptions, sources: ProducerSources, skip: readonly string[] = []): () => void {
  const { registry, log } = sources;
  const { known, unknown } = selectInstrumentations(env, options.instrumentations, registry);
  const meter = provider.getMeter(PRODUCER_SCOPE.name);
  const context: ProducerContext = sources.direct ? { direct: sources.direct(PRODUCER_SCOPE) } : {};
  const started: Array<{ stop(): void }> = [];
  let stopped = false;
  const start = (names: string[]): void => {
    for (const producer of safeCreate(names.filter((n) => !skip.includes(n)), options.instrumentationOptions as Record<string, unknown> | undefined, env, sources)) {
      try {
        producer.start(meter, context);
        started.push(producer);
      } catch (err) {
        log.error(`instrumentation ${producer.name} failed to start (${(err as Error).message}); the others keep working`);
      }
    }
  };
  start(known);
  if (unknown.length > 0) {
    // Under the preload the app registers its producers after we start: look again once its main module has run.
    setImmediate(() => {
      if (stopped) return;
      const late = selectInstrumentations(env, options.instrumentations, registry).known.filter((n) => unknown.includes(n));
      const missing = unknown.filter((n) => !late.includes(n));
      if (missing.length > 0) warnUnknown(env, missing, false, registry);
      start(late);
    }).unref();
  }
  return () => {
    stopped = true;
    for (const p of started.splice(0)) {
      try {
        p.stop();
      } catch {
        /* stopping is best effort */
      }
    }
  };
}

/**
 * Throws ConfigError for an unknown name in the code option `instrumentations`: in code,
 * producers are registered before startMetrics, so an unknown name there is a mistake. Called
 * before anything is built.
 */
export function checkInstrumentationNames(env: EnvReader, options: MetricsOptions, registry: ProducerRegistry): void {
  if (options.instrumentations === undefined) return;
  const { unknown } = selectInstrumentations(env, options.instrumentations, registry);
  if (unknown.length > 0) throw new ConfigError(`instrumentations: unknown name${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}; register yours with registerProducer before startMetrics`);
}

function safeCreate(names: string[], options: Record<string, unknown> | undefined, env: EnvReader, { registry, log }: ProducerSources): ReturnType<typeof createProducers> {
  const out: ReturnType<typeof createProducers> = [];
  for (const name of names) {
    try {
      out.push(...createProducers([name], options, env, log, registry));
    } catch (err) {
      log.error(`instrumentation ${name} failed to start (${(err as Error).message}); the others keep working`);
    }
  }
  return out;
}
