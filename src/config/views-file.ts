import { readFileSync } from 'node:fs';
import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import type { EnvReader } from '../../core/env-reader';

/** The variable naming the views file. */
export const VIEWS_FILE_VAR = 'OTEL_METRICS_VIEWS_FILE';

const KEYS = new Set(['instrument', 'meter', 'boundaries', 'exponential', 'attributes', 'rename', 'description', 'drop']);

/**
 * Views from the JSON file `OTEL_METRICS_VIEWS_FILE` names, so an operator can set histogram
 * boundaries, keep only some attributes, rename or drop instruments without touching code.
 * The file is `{"views": [entry, …]}` (or the bare array); each entry selects instruments by
 * `instrument` (name; `*` and `?` wildcards) and optional `meter`, and sets any of `boundaries`
 * (increasing numbers, histograms only), `exponential` (true, histograms only), `attributes`
 * (keys to keep), `rename`, `description`, `drop`. A bad entry is one line and is skipped; an
 * unreadable file is one line and gives no views. JSON only: YAML would need a dependency.
 */
export function readViewsFile(env: EnvReader): ViewOptions[] {
  const path = env.string(VIEWS_FILE_VAR);
  if (path === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? `is not valid JSON (${err.message})` : `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    env.warn(`${VIEWS_FILE_VAR}=${JSON.stringify(path)} ${why}; using no views from it`);
    return [];
  }
  const entries = Array.isArray(parsed) ? parsed : (parsed as { views?: unknown } | null)?.views;
  if (!Array.isArray(entries)) {
    env.warn(`${VIEWS_FILE_VAR}=${JSON.stringify(path)} must hold {"views": [...]} or an array of views; using no views from it`);
    return [];
  }
  const views: ViewOptions[] = [];
  entries.forEach((entry, i) => {
    const result = toView(entry);
    if (typeof result === 'string') {
      const name = (entry as { instrument?: unknown } | null)?.instrument;
      env.warn(`invalid ${VIEWS_FILE_VAR} entry ${i + 1}${typeof name === 'string' ? ` (instrument ${JSON.stringify(name)})` : ''}: ${result}; skipping that entry`);
    } else views.push(result);
  });
  return views;
}

/** The view of one entry, or what is wrong with it. */
function toView(entry: unknown): ViewOptions | string {
  // Loaded only when a views file is set.
  const { AggregationType, InstrumentType, createAllowListAttributesProcessor } = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return 'an entry must be an object';
  const e = entry as Record<string, unknown>;
  const unknown = Object.keys(e).filter((k) => !KEYS.has(k));
  if (unknown.length) return `unknown key(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')} (known: ${[...KEYS].join(', ')})`;
  if (typeof e.instrument !== 'string' || e.instrument === '') return '"instrument" must be a non-empty instrument name (wildcards * and ? allowed)';
  if (e.meter !== undefined && (typeof e.meter !== 'string' || e.meter === '')) return '"meter" must be a non-empty meter name';
  const view: ViewOptions = { instrumentName: e.instrument, ...(e.meter !== undefined ? { meterName: e.meter as string } : {}) };
  const set = ['boundaries', 'exponential', 'drop'].filter((k) => e[k] !== undefined && e[k] !== false);
  if (set.length > 1) return `${set.map((k) => `"${k}"`).join(' and ')} cannot be combined: each sets the aggregation`;
  if (e.boundaries !== undefined) {
    const b = e.boundaries;
    if (!Array.isArray(b) || b.length === 0 || !b.every((x) => typeof x === 'number' && Number.isFinite(x)) || b.some((x, j) => j > 0 && x <= b[j - 1])) {
      return '"boundaries" must be a non-empty list of increasing finite numbers';
    }
    // Only histograms: a counter given bucket boundaries would stop being a sum.
    view.instrumentType = InstrumentType.HISTOGRAM;
    view.aggregation = { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: b as number[] } };
  }
  if (e.exponential !== undefined) {
    if (typeof e.exponential !== 'boolean') return '"exponential" must be true or false';
    if (e.exponential) {
      view.instrumentType = InstrumentType.HISTOGRAM;
      view.aggregation = { type: AggregationType.EXPONENTIAL_HISTOGRAM };
    }
  }
  if (e.drop !== undefined) {
    if (typeof e.drop !== 'boolean') return '"drop" must be true or false';
    if (e.drop) view.aggregation = { type: AggregationType.DROP };
  }
  if (e.attributes !== undefined) {
    if (!Array.isArray(e.attributes) || !e.attributes.every((k) => typeof k === 'string' && k !== '')) return '"attributes" must be a list of attribute keys to keep';
    view.attributesProcessors = [createAllowListAttributesProcessor(e.attributes as string[])];
  }
  if (e.rename !== undefined) {
    if (typeof e.rename !== 'string' || e.rename === '') return '"rename" must be a non-empty name';
    // The SDK refuses a name on a selector that can match several instruments.
    if (/[*?]/.test(e.instrument)) return '"rename" needs an exact "instrument" name, not a wildcard';
    view.name = e.rename;
  }
  if (e.description !== undefined) {
    if (typeof e.description !== 'string') return '"description" must be a string';
    view.description = e.description;
  }
  return view;
}
