import { ConfigError } from '../../core/errors';
import { processExporters, type ExporterLookup } from '../../exporters/registry';
import { instrumentationNames, processProducers, type ProducerRegistry } from '../../instrumentation/registry';
import type { MetricsOptions } from '../metrics-options';
import { EXPORTER_OPTION_KEYS, INSTRUMENTATION_OPTION_KEYS, METRICS_OPTION_KEYS, type KeySpec } from './option-keys';

// The selectors the top-level temporalityPreference / histogramAggregation fill in.
const SELECTOR_TAKERS = ['otlp', 'otlp/stdout'];
const SELECTORS = ['temporalityPreference', 'histogramAggregation'] as const;

/**
 * Every exporter's code options by name, with the deprecated aliases folded in: `otlp` and
 * `prometheus` become `exporterOptions.otlp` / `.prometheus` (giving both spellings is a
 * ConfigError: which one should win is a guess), and the top-level selectors are defaults under
 * `exporterOptions.otlp` and `['otlp/stdout']` (the exporter's own field wins). The `otlp`
 * alias also gave `otlp/stdout` its selectors, so it still does. The assembly reads
 * `result[name]` for every exporter alike.
 */
export function exporterOptionsOf(options: MetricsOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(options.exporterOptions as Record<string, unknown> | undefined) };
  for (const alias of ['otlp', 'prometheus'] as const) {
    if (options[alias] === undefined) continue;
    if (out[alias] !== undefined) throw new ConfigError(`${alias} and exporterOptions.${alias}: give one (${alias} is the deprecated spelling of exporterOptions.${alias})`);
    out[alias] = options[alias];
  }
  if (options.otlp !== undefined && out['otlp/stdout'] === undefined) {
    out['otlp/stdout'] = pick(options.otlp as Record<string, unknown>, SELECTORS);
  }
  const top = pick(options as Record<string, unknown>, SELECTORS);
  if (Object.keys(top).length > 0) {
    for (const name of SELECTOR_TAKERS) out[name] = { ...top, ...(out[name] as object | undefined) };
  }
  return out;
}

/**
 * Throws ConfigError with the path of the first unknown key at any level of the code options
 * (`exporterOptions.influxdbb`, `instrumentationOptions.http.bodySize`), or the first exporter
 * or producer name that is not registered. Plug-ins validate their own options' keys.
 */
export function checkOptionKeys(options: MetricsOptions, exporters: ExporterLookup = processExporters, producers: ProducerRegistry = processProducers): void {
  if (options === null || typeof options !== 'object') throw new ConfigError('startMetrics options must be an object');
  checkKeys(options, METRICS_OPTION_KEYS, '');
  byName(options.exporterOptions, 'exporterOptions', EXPORTER_OPTION_KEYS, (n) => exporters.get(n) !== undefined, () => exporters.names().filter((n) => n !== 'none'), 'registerExporter');
  byName(options.instrumentationOptions, 'instrumentationOptions', INSTRUMENTATION_OPTION_KEYS, (n) => instrumentationNames(producers).includes(n), () => instrumentationNames(producers), 'registerProducer');
}

function byName(value: unknown, path: string, builtIns: Readonly<Record<string, KeySpec>>, known: (name: string) => boolean, names: () => string[], register: string): void {
  if (value === undefined) return;
  if (!isObject(value)) throw new ConfigError(`${path} must be an object keyed by name`);
  for (const [name, entry] of Object.entries(value)) {
    if (!known(name)) throw new ConfigError(`${path}.${name}: unknown name; known: ${names().join(', ')} (register yours with ${register} before startMetrics)`);
    const spec = builtIns[name];
    if (spec && entry !== undefined) checkKeys(entry, spec, `${path}.${name}`);
  }
}

function checkKeys(value: unknown, spec: KeySpec, path: string): void {
  if (!isObject(value)) return; // the type of a value is the validator's business, which names it
  for (const [key, v] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    const rule = spec[key];
    if (rule === undefined) throw new ConfigError(`${at}: unknown option${suggest(key, Object.keys(spec))}`);
    if (typeof rule === 'object' && v !== undefined && v !== false) checkKeys(v, rule, at);
  }
}

function suggest(key: string, known: string[]): string {
  const lower = key.toLowerCase();
  const near = known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase()));
  return near ? ` (did you mean ${near}?)` : `; known: ${known.join(', ')}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
