import { ConfigError } from '../core/errors';
import { BUILT_IN_EXPORTERS } from './built-ins';
import type { ExporterFactory, ExporterPlugin } from './plugin';

const builtIns = new Map(BUILT_IN_EXPORTERS.map((p) => [p.name, p as ExporterPlugin]));

/** What a pipeline looks exporter names up in: the built-ins and what was registered. */
export interface ExporterLookup {
  /** The plug-in for `name` (case-insensitive), or undefined. */
  get(name: string): ExporterPlugin | undefined;
  /** Every name `OTEL_METRICS_EXPORTER` accepts right now, built-ins first. */
  names(): string[];
}

/**
 * Registered exporter plug-ins beside the built-ins. The process has one (registerExporter
 * fills it, like OTel's globals); a test builds a pipeline over a registry of its own.
 */
export class ExporterRegistry implements ExporterLookup {
  /** `registered`: where the registrations live; the process registry passes the shared one. */
  constructor(private readonly registered = new Map<string, ExporterPlugin>()) {}

  /** Adds a checked plug-in; throws ConfigError on a bad one (see registerExporter). */
  add(plugin: ExporterPlugin<any>): void {
    const key = checkedName(plugin);
    this.registered.set(key, plugin);
  }

  get(name: string): ExporterPlugin | undefined {
    const key = name.toLowerCase();
    return builtIns.get(key) ?? this.registered.get(key);
  }

  names(): string[] {
    return [...builtIns.keys(), 'none', ...this.registered.keys()];
  }
}

// The preload is a bundle with its own copy of this module, and the app's registerExporter runs
// in the package's unbundled one: the registrations are one Map under a global symbol, so both
// copies see every name (docs/development.md, "The preload bundle"). Plug-ins are plain objects.
const REGISTERED = Symbol.for('otel-metrics-pipeline.exporters');
const shared = globalThis as { [REGISTERED]?: Map<string, ExporterPlugin> };

/** The process-wide registry registerExporter adds to; a pipeline reads it live, so a name registered after the preload started is still bound (on the next tick). */
export const processExporters = new ExporterRegistry((shared[REGISTERED] ??= new Map()));

/**
 * Makes an exporter selectable by name in `OTEL_METRICS_EXPORTER` (and as a fallback). Takes
 * the plug-in shape, or the older `(name, factory)` pair. Names are case-insensitive and may
 * not shadow a built-in. Throws ConfigError on a bad registration.
 */
export function registerExporter(plugin: ExporterPlugin<any>): void;
export function registerExporter(name: string, factory: ExporterFactory): void;
export function registerExporter(pluginOrName: ExporterPlugin<any> | string, factory?: ExporterFactory): void {
  const plugin: ExporterPlugin<any> = typeof pluginOrName === 'string'
    ? { name: pluginOrName, kind: 'push', create: (config, context) => factory!(config, context), legacy: true } as ExporterPlugin & { legacy: true }
    : pluginOrName;
  if (typeof pluginOrName === 'string' && typeof factory !== 'function') throw new ConfigError(`exporter ${JSON.stringify(pluginOrName)} needs a factory function`);
  processExporters.add(plugin);
}

function checkedName(plugin: ExporterPlugin<any>): string {
  if (!plugin || typeof plugin !== 'object') throw new ConfigError('registerExporter needs an exporter plug-in');
  const key = typeof plugin.name === 'string' ? plugin.name.trim().toLowerCase() : '';
  if (key === '' || key === 'none' || /[,\s]/.test(key)) throw new ConfigError(`invalid exporter name ${JSON.stringify(plugin.name)}`);
  if (builtIns.has(key)) throw new ConfigError(`exporter name ${JSON.stringify(plugin.name)} is built in`);
  if (plugin.kind !== 'push' && plugin.kind !== 'pull') throw new ConfigError(`exporter ${key}: kind must be "push" or "pull"`);
  if (typeof plugin.create !== 'function') throw new ConfigError(`exporter ${key} needs a create function`);
  if (plugin.readConfig !== undefined && typeof plugin.readConfig !== 'function') throw new ConfigError(`exporter ${key}: readConfig must be a function`);
  return key;
}

/** The plug-in for `name`, built-in or registered in the process, or undefined. */
export function getExporterPlugin(name: string): ExporterPlugin | undefined {
  return processExporters.get(name);
}

/** True when `plugin` came from the older `(name, factory)` form, whose factory gets the core configuration. */
export function isLegacyPlugin(plugin: ExporterPlugin): boolean {
  return (plugin as { legacy?: boolean }).legacy === true;
}

/** Every name `OTEL_METRICS_EXPORTER` accepts right now, built-ins first. */
export function exporterNames(): string[] {
  return processExporters.names();
}
