import type { EnvReader } from '../src/config/env-reader';
import type { MetricProducer } from './producer';

/** Builds one producer from its code options. */
type ProducerFactory = (options: unknown) => MetricProducer;

// Each producer's module loads only when it is selected, so an unused one costs nothing at start-up.
const PRODUCERS: Record<string, ProducerFactory> = {};

/** The default selection when `OTEL_METRICS_INSTRUMENTATIONS` is unset. */
export const DEFAULT_INSTRUMENTATIONS: readonly string[] = [];

/** Every name `OTEL_METRICS_INSTRUMENTATIONS` accepts, besides `all` and `none`. */
export function instrumentationNames(): string[] {
  return Object.keys(PRODUCERS);
}

/**
 * The producers to start: code list, else `OTEL_METRICS_INSTRUMENTATIONS` (comma list; `all`,
 * `none`), else the default. An unknown name is one line and is skipped.
 */
export function resolveInstrumentations(env: EnvReader, list?: string[]): string[] {
  const names = list?.map((n) => n.trim().toLowerCase()) ?? env.list('OTEL_METRICS_INSTRUMENTATIONS') ?? [...DEFAULT_INSTRUMENTATIONS];
  if (names.includes('none')) return [];
  if (names.includes('all')) return instrumentationNames();
  const known = names.filter((n) => n in PRODUCERS);
  for (const n of names.filter((x) => !(x in PRODUCERS))) {
    env.warn(`unknown instrumentation ${JSON.stringify(n)} in OTEL_METRICS_INSTRUMENTATIONS; supported: ${[...instrumentationNames(), 'all', 'none'].join(', ')}; ignoring it`);
  }
  return [...new Set(known)];
}

/** Builds the selected producers; `options[name]` holds each one's code options. */
export function createProducers(names: string[], options: Record<string, unknown> = {}): MetricProducer[] {
  return names.map((n) => PRODUCERS[n]!(options[n]));
}
