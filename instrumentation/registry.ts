import type { EnvReader } from '../core/env-reader';
import type { HttpProducerOptions } from './http/http-producer';
import type { ProcessProducerOptions } from './process-producer';
import type { MetricProducer } from './producer';
import type { RuntimeProducerOptions } from './runtime-producer';
import type { SystemProducerOptions } from './system-producer';

/** Code options for each producer, keyed by producer name. */
export interface ProducerOptions {
  system?: SystemProducerOptions;
  process?: ProcessProducerOptions;
  runtime?: RuntimeProducerOptions;
  http?: HttpProducerOptions;
}

// Factories are required on first use, so an unselected producer costs no module load at start-up.
const FACTORIES: Record<string, (options: ProducerOptions) => MetricProducer> = {
  system: (o) => (require('./system-producer') as typeof import('./system-producer')).createSystemProducer(o.system),
  process: (o) => (require('./process-producer') as typeof import('./process-producer')).createProcessProducer(o.process),
  runtime: (o) => (require('./runtime-producer') as typeof import('./runtime-producer')).createRuntimeProducer(o.runtime),
  http: (o) => (require('./http/http-producer') as typeof import('./http/http-producer')).createHttpProducer(o.http),
};

/** Default of `OTEL_METRICS_INSTRUMENTATIONS`. */
export const DEFAULT_INSTRUMENTATIONS: readonly string[] = ['process', 'runtime', 'http'];

/** Names accepted in `OTEL_METRICS_INSTRUMENTATIONS`, besides `all` and `none`. */
export function instrumentationNames(): string[] {
  return Object.keys(FACTORIES);
}

/**
 * The producers to start: `list` (code option) if given, else `OTEL_METRICS_INSTRUMENTATIONS`
 * (comma list of system, process, runtime, http, or `all`/`none`; default process,runtime,http).
 * Unknown names give one line naming them and the known ones, and are left out.
 */
export function resolveInstrumentations(env: EnvReader, list?: string[]): string[] {
  const fromCode = list !== undefined;
  const names = list?.map((n) => n.trim().toLowerCase()).filter((n) => n !== '') ?? env.list('OTEL_METRICS_INSTRUMENTATIONS');
  if (names === undefined) return [...DEFAULT_INSTRUMENTATIONS];
  const known = instrumentationNames();
  if (names.includes('none')) return [];
  if (names.includes('all')) return known;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    const source = fromCode ? 'instrumentations option' : 'OTEL_METRICS_INSTRUMENTATIONS';
    env.warn(`unknown ${source} name${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')} ignored; known: ${known.join(', ')}, all, none`);
  }
  return known.filter((n) => names.includes(n));
}

/** Builds the named producers (not started); each producer file is loaded only here. */
export function createProducers(names: readonly string[], options: ProducerOptions = {}): MetricProducer[] {
  return names.filter((n) => n in FACTORIES).map((n) => FACTORIES[n](options));
}
