import { PeriodicExportingMetricReader, type MetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { EnvReader } from '../../core/env-reader';
import type { ResolvedConfig } from '../config/resolve-config';
import type { ExitBudget } from '../../exporters/delivery/exit-budget';
import { DeliveryStats } from '../../exporters/delivery/delivery-stats';
import type { Log } from '../../core/log';
import { ConfigError } from '../../core/errors';
import { BuiltOnFirstUse, type BuiltExporter } from '../../exporters/built-on-first-use';
import type { ExporterContext } from '../../exporters/plugin';
import type { ExporterLookup } from '../../exporters/registry';
import { assemblyProblems } from './assembly-problems';
import { buildDeliveryChain } from '../../exporters/delivery/delivery-chain';
import type { RateLimitedLog } from '../../core/rate-limited-log';
import { buildFallback } from './fallback';
import { instantiatePlugin, type PluginInstance } from './instantiate-plugin';
import type { DirectMetrics } from './direct-metrics';

/** The readers, and the delivery counters of each push exporter for self-observability. */
export interface Readers {
  readers: MetricReader[];
  stats: DeliveryStats[];
  /** The readers the pipeline built (not ones passed in from code), and whether each pushes. */
  own: { reader: MetricReader; push: boolean }[];
}

/** How the readers find each exporter's code options and which names came from code. */
export interface ReaderSources {
  env: EnvReader;
  /** The code options for the exporter selected as `name`. */
  optionsFor: (name: string) => unknown;
  /** True when the exporter list came from code: an unknown name there is a ConfigError. */
  fromCode: boolean;
  /** True when `fallbackExporter` came from code: an unknown or pull name there is a ConfigError. */
  fallbackFromCode?: boolean;
  /** The exit deadline every delivery chain shares. */
  exitBudget: ExitBudget;
  /** One line per distinct assembly problem for the life of the pipeline (each primary asks again). */
  once: RateLimitedLog;
  /** False in a cluster worker: pull readers must not listen (the primary serves); default true. */
  serve?: boolean;
  /** The pipeline's view of the exporter registry (the process's, read live, unless a test gives its own). */
  registry: ExporterLookup;
  /** The pipeline's log: its level, for every exporter and delivery chain it builds. */
  log: Log;
  /** Metric data built outside SDK instruments (the self-metrics), handed to every periodic reader. */
  direct?: DirectMetrics;
}

/**
 * One reader per configured exporter: push exporters get their delivery chain (timeout,
 * retry, fallback, queue) and a periodic reader; pull readers are used as they are. A name not
 * registered yet (the preload runs before the app registers its exporters) is bound on the
 * next tick, with the temporality its plug-in declares.
 */
export function buildReaders(config: ResolvedConfig, sources: ReaderSources): Readers {
  const readers: MetricReader[] = [];
  const stats: DeliveryStats[] = [];
  const own: Readers['own'] = [];
  if (sources.fallbackFromCode) checkCodeFallback(config.delivery.fallbackExporter, sources.registry);
  config.exporters.forEach((spec, index) => {
    const name = typeof spec === 'string' ? spec : `exporter_${index}`;
    if (typeof spec === 'string' && sources.fromCode && !sources.registry.get(spec)) {
      throw new ConfigError(`exporters: unknown exporter ${JSON.stringify(spec)}; supported: ${sources.registry.names().join(', ')} (register yours with registerExporter before startMetrics)`);
    }
    const s = new DeliveryStats(name);
    const instance = instantiate(spec, name, config, s, sources);
    if (instance === undefined) return;
    const { built, destination } = instance;
    if (isReader(built)) {
      readers.push(built);
      if (typeof spec === 'string') own.push({ reader: built, push: false });
      return;
    }
    stats.push(s);
    let reader: MetricReader | undefined;
    reader = new PeriodicExportingMetricReader({
      exporter: withDelivery(name, built, config, s, sources, destination),
      exportIntervalMillis: config.exportIntervalMillis,
      exportTimeoutMillis: config.exportTimeoutMillis,
      ...(sources.direct ? { metricProducers: [sources.direct.producerFor(() => reader)] } : {}),
    });
    readers.push(reader);
    own.push({ reader, push: true });
  });
  return { readers, stats, own };
}

/** An exporter or reader, and where it sends (for the delivery chain's log lines). */
interface Instance {
  built: PushMetricExporter | MetricReader;
  destination?: string;
}

function instantiate(spec: ResolvedConfig['exporters'][number], name: string, config: ResolvedConfig, stats: DeliveryStats, sources: ReaderSources): Instance | undefined {
  if (typeof spec !== 'string') return { built: spec };
  // A pull plug-in builds its own reader, so it takes the pipeline's direct metrics from here.
  let pull: MetricReader | undefined;
  const metricProducers = sources.direct && [sources.direct.producerFor(() => pull)];
  const context: ExporterContext = { name, stats, exportIntervalMillis: config.exportIntervalMillis, exportTimeoutMillis: config.exportTimeoutMillis, serve: sources.serve, log: sources.log, metricProducers };
  const { registry, log } = sources;
  const plugin = registry.get(spec);
  if (!plugin) {
    return { built: new BuiltOnFirstUse({
      name,
      build: () => {
        const late = registry.get(spec);
        if (!late) return undefined;
        if (late.kind === 'pull') throw new Error('a pull exporter must be registered before the pipeline starts');
        return asBuilt(instantiatePlugin(late, sources.env, sources.optionsFor(context.name), context, config));
      },
      onUnavailable: () => log.warn(assemblyProblems.unknownExporter(name, registry)),
      log,
    }) };
  }
  try {
    const built = instantiatePlugin(plugin, sources.env, sources.optionsFor(name), context, config);
    if (isReader(built.exporter)) return { built: pull = built.exporter };
    // Already lazy (the OTLP plug-in's): its selectors are the ones instantiatePlugin read; one wrapper is enough.
    if (built.exporter instanceof BuiltOnFirstUse) return { built: built.exporter, destination: built.destination };
    // Selectors declared by the plug-in hold even when its exporter does not implement them.
    const wrapped = new BuiltOnFirstUse({ name, build: () => asBuilt(built), temporality: built.temporality, aggregation: built.aggregation, log });
    return { built: wrapped, destination: built.destination };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    // One broken exporter must not cost the others their data.
    log.error(`exporter ${JSON.stringify(spec)} failed to start (${(err as Error).message}); the other exporters keep working`);
    return undefined;
  }
}

function withDelivery(name: string, exporter: PushMetricExporter, config: ResolvedConfig, stats: DeliveryStats, sources: ReaderSources, destination: string | undefined): PushMetricExporter {
  try {
    const spec = config.delivery.fallbackExporter;
    const fallback = buildFallback(name, config, stats, sources.env, typeof spec === 'string' ? sources.optionsFor(spec) : undefined, (line) => sources.once.log(line, line), sources);
    const policy = config.delivery;
    if (policy.queue) {
      stats.queueCapacity = policy.queue.maxBatches;
      stats.queueMaxBytes = policy.queue.maxBytes;
    }
    return buildDeliveryChain(exporter, {
      name,
      destination,
      attemptTimeoutMillis: config.attemptTimeoutMillis,
      flushTimeoutMillis: config.exportTimeoutMillis,
      exportIntervalMillis: config.exportIntervalMillis,
      retry: policy.retry,
      queue: policy.queue,
      fallback: fallback && { ...fallback, failureThreshold: policy.fallbackFailureThreshold, probeIntervalMillis: policy.fallbackProbeIntervalMillis },
      exitBudget: sources.exitBudget,
      listener: stats,
      log: sources.log,
    });
  } catch (err) {
    sources.log.error(`${name}: the delivery chain failed to start (${(err as Error).message}); exporting without retry or queue`);
    return exporter;
  }
}

// The env variable gets one line and no fallback (delivery-chain.ts); the code option throws.
function checkCodeFallback(spec: ResolvedConfig['delivery']['fallbackExporter'], registry: ExporterLookup): void {
  if (typeof spec !== 'string' || spec === 'none') return;
  const plugin = registry.get(spec);
  if (!plugin) throw new ConfigError(`fallbackExporter: unknown exporter ${JSON.stringify(spec)}; supported: ${registry.names().filter((n) => n !== 'none').join(', ')}`);
  if (plugin.kind !== 'push') throw new ConfigError(`fallbackExporter: ${JSON.stringify(spec)} is a pull exporter and cannot receive pushed batches`);
}

function asBuilt(instance: PluginInstance): BuiltExporter {
  return { exporter: instance.exporter as PushMetricExporter, temporality: instance.temporality, aggregation: instance.aggregation };
}

// Duck-typed: a reader from another copy of sdk-metrics (an ESM app's) is still a reader.
function isReader(x: PushMetricExporter | MetricReader): x is MetricReader {
  return typeof (x as MetricReader).collect === 'function' && typeof (x as MetricReader).setMetricProducer === 'function';
}
