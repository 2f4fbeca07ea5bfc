import { EnvReader } from '../core/env-reader';
import { ConfigError } from '../core/errors';
import { defaultLog, type Log } from '../core/log';
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
// Each gets the pipeline's log for its skipped-reading lines.
const FACTORIES: Record<string, (options: ProducerOptions, log: Log) => MetricProducer> = {
  system: (o, log) => (require('./system-producer') as typeof import('./system-producer')).createSystemProducer(o.system, log),
  process: (o, log) => (require('./process-producer') as typeof import('./process-producer')).createProcessProducer(o.process, log),
  runtime: (o, log) => (require('./runtime-producer') as typeof import('./runtime-producer')).createRuntimeProducer(o.runtime, log),
  http: (o) => (require('./http/http-producer') as typeof import('./http/http-producer')).createHttpProducer(o.http),
};

/**
 * A producer of your own: gets the env reader (read your own variables with it; a bad value is
 * one line naming it) and its code options (`instrumentationOptions[name]`), and returns the
 * producer, not started.
 */
export type ProducerFactory = (env: EnvReader, options: unknown) => MetricProducer;

/** What a pipeline looks producer names up in: the user's producers (the built-ins are fixed). */
export class ProducerRegistry {
  /** `registered`: where the registrations live; the process registry passes the shared one. */
  constructor(private readonly registered = new Map<string, ProducerFactory>()) {}

  /** Adds a checked factory; throws ConfigError on a bad name (see registerProducer). */
  add(name: string, factory: ProducerFactory): void {
    const n = typeof name === 'string' ? name.trim().toLowerCase() : '';
    if (!/^[a-z][a-z0-9_.-]*$/.test(n) || n === 'all' || n === 'none') throw new ConfigError(`registerProducer: name must be lower-case letters, digits, '_', '.' or '-' (not all or none), got ${JSON.stringify(name)}`);
    if (n in FACTORIES) throw new ConfigError(`registerProducer: ${JSON.stringify(n)} is a built-in producer`);
    if (typeof factory !== 'function') throw new ConfigError(`registerProducer: the factory for ${JSON.stringify(n)} must be a function`);
    this.registered.set(n, factory);
  }

  /** The user's factory for `name`, or undefined. */
  get(name: string): ProducerFactory | undefined {
    return this.registered.get(name);
  }

  /** Names accepted besides `all` and `none`: the built-ins, then the user's. */
  names(): string[] {
    return [...Object.keys(FACTORIES), ...this.registered.keys()];
  }
}

// One Map under a global symbol, shared by the preload bundle's copy of this module and the
// package's unbundled one that the app's registerProducer runs in (docs/development.md,
// "The preload bundle"). Factories are plain functions.
const REGISTERED = Symbol.for('otel-metrics-pipeline.producers');
const shared = globalThis as { [REGISTERED]?: Map<string, ProducerFactory> };

/** The process-wide registry registerProducer adds to; a pipeline reads it live (a name registered while the main module loads is started on the next tick). */
export const processProducers = new ProducerRegistry((shared[REGISTERED] ??= new Map()));

/**
 * Adds a producer that `OTEL_METRICS_INSTRUMENTATIONS` (or `instrumentations` in code) selects
 * by `name`, as it selects the built-ins, mirroring registerExporter. Under the preload, a name
 * the app registers while its main module loads is still started (on the next tick). Throws
 * ConfigError for a name that is invalid, reserved (`all`, `none`) or a built-in.
 */
export function registerProducer(name: string, factory: ProducerFactory): void {
  processProducers.add(name, factory);
}

/** Default of `OTEL_METRICS_INSTRUMENTATIONS`. */
export const DEFAULT_INSTRUMENTATIONS: readonly string[] = ['process', 'runtime', 'http'];

/** Names accepted in `OTEL_METRICS_INSTRUMENTATIONS`, besides `all` and `none`. */
export function instrumentationNames(registry: ProducerRegistry = processProducers): string[] {
  return registry.names();
}

/**
 * The producers to start: `list` (code option) if given, else `OTEL_METRICS_INSTRUMENTATIONS`
 * (comma list of system, process, runtime, http, or `all`/`none`; default process,runtime,http).
 * Unknown names give one line naming them and the known ones, and are left out.
 */
export function resolveInstrumentations(env: EnvReader, list?: string[], registry: ProducerRegistry = processProducers): string[] {
  const { known, unknown } = selectInstrumentations(env, list, registry);
  if (unknown.length > 0) warnUnknown(env, unknown, list !== undefined, registry);
  return known;
}

/** The selection split into names known now and names not registered (yet), without a line. */
export function selectInstrumentations(env: EnvReader, list?: string[], registry: ProducerRegistry = processProducers): { known: string[]; unknown: string[] } {
  const names = list?.map((n) => n.trim().toLowerCase()).filter((n) => n !== '') ?? env.list('OTEL_METRICS_INSTRUMENTATIONS');
  if (names === undefined) return { known: [...DEFAULT_INSTRUMENTATIONS], unknown: [] };
  const all = registry.names();
  if (names.includes('none')) return { known: [], unknown: [] };
  if (names.includes('all')) return { known: all, unknown: [] };
  return { known: all.filter((n) => names.includes(n)), unknown: names.filter((n) => !all.includes(n)) };
}

/** One line naming the unknown names and the known ones. */
export function warnUnknown(env: EnvReader, unknown: string[], fromCode: boolean, registry: ProducerRegistry = processProducers): void {
  const source = fromCode ? 'instrumentations option' : 'OTEL_METRICS_INSTRUMENTATIONS';
  env.warn(`unknown ${source} name${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')} ignored; known: ${registry.names().join(', ')}, all, none`);
}

/** Builds the named producers (not started); each producer file is loaded only here. */
export function createProducers(names: readonly string[], options: ProducerOptions & Record<string, unknown> = {}, env: EnvReader = new EnvReader(process.env), log: Log = defaultLog, registry: ProducerRegistry = processProducers): MetricProducer[] {
  const out: MetricProducer[] = [];
  for (const n of names) {
    const own = registry.get(n);
    if (n in FACTORIES) out.push(FACTORIES[n]!(options, log));
    else if (own) out.push(own(env, options[n]));
  }
  return out;
}
