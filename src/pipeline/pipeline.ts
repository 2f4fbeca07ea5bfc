import { metrics, createNoopMeter } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { EnvReader } from '../../core/env-reader';
import { Log } from '../../core/log';
import type { RateLimitedLog } from '../../core/rate-limited-log';
import { livePipeline, occupySlot, runningPipeline, type RunningPipeline } from '../../core/running-pipeline';
import { resolveConfig, resolveEarly } from '../config/resolve-config';
import { readClusterConfig } from '../config/cluster-options';
import { ExitBudget } from '../../exporters/delivery/exit-budget';
import type { DeliveryStats } from '../../exporters/delivery/delivery-stats';
import { processExporters, type ExporterLookup } from '../../exporters/registry';
import { processProducers, type ProducerRegistry } from '../../instrumentation/registry';
import { exportHealthOf } from '../../instrumentation/health/export-health';
import { readHealthConfig } from '../../instrumentation/health/health-config';
import { PipelineHealth } from '../../instrumentation/health/pipeline-health';
import type { MetricsOptions } from '../metrics-options';
import { checkOptionKeys, exporterOptionsOf } from '../config/normalise-options';
import { addDiagLogger } from './diag-logger';
import { installExitHooks } from './exit-hooks';
import type { MetricsHandle } from './metrics-handle';
import { checkInstrumentationNames, startProducers } from './producers';
import { buildReaders } from './readers';
import { buildResource } from './resource';
import { clusterSetup } from './cluster/cluster-setup';
import { receiveThreadPoints } from './threads/receive-thread-points';
import { SelfMetrics } from './self-metrics';
import { DirectMetrics } from './direct-metrics';

/** Most of the exit budget a cluster worker spends sending its last values to the primary, in ms. */
const CLUSTER_LAST_ANSWER_MILLIS = 500;

/** Where a pipeline looks names up: the process's registries, read live, unless a test gives its own. */
export interface PipelineRegistries {
  exporters?: ExporterLookup;
  producers?: ProducerRegistry;
}

/**
 * Everything one pipeline owns, so that two in one process (one after another's shutdown, or
 * side by side in tests) share nothing by accident: its log (level and rate limiters), its
 * registry view, its health, and the handle it gave out. The process-wide slot holds this
 * object while it owns the global MeterProvider.
 */
export interface Pipeline extends RunningPipeline {
  readonly handle: MetricsHandle;
  readonly log: Log;
  readonly health: PipelineHealth;
  readonly exporters: ExporterLookup;
  readonly producers: ProducerRegistry;
  /** One line per distinct assembly problem for the life of this pipeline. */
  readonly once: RateLimitedLog;
  /** False for a pipeline built with `setGlobal: false`: it is in no slot and touches no global. */
  readonly global: boolean;
}

/**
 * Builds a pipeline from code options over the environment (see startMetrics). A `setGlobal:
 * false` pipeline touches no global: not the MeterProvider, not diag, not the slot. Returns the
 * pipeline, or the running one while a live pipeline holds the slot, or undefined when disabled.
 */
export function startPipeline(options: MetricsOptions = {}, registries: PipelineRegistries = {}): Pipeline | undefined {
  const exporters = registries.exporters ?? processExporters;
  const producers = registries.producers ?? processProducers;
  // The level first, silently, so OTEL_LOG_LEVEL=none also silences the configuration warnings.
  const log = new Log(resolveEarly(new EnvReader(options.env ?? process.env, () => {}), options).logLevel);
  const env = new EnvReader(options.env ?? process.env, log.warn, undefined, log.info);
  checkOptionKeys(options, exporters, producers);
  const config = resolveConfig(options, env);
  const exporterOptions = exporterOptionsOf(options);
  checkInstrumentationNames(env, options, producers);
  if (config.disabled) return undefined;
  const running = livePipeline();
  if (config.setGlobal && running) {
    log.info('startMetrics: a pipeline is already running (the preload, or an earlier call); returning its handle');
    return running as Pipeline;
  }

  const once = log.limited(Infinity);
  const exitBudget = new ExitBudget(config.shutdownTimeoutMillis);
  const clusterConfig = readClusterConfig(env, options.cluster);
  const cluster = clusterSetup(clusterConfig);
  const direct = new DirectMetrics();
  const { readers, stats, own } = buildReaders(config, { env, optionsFor: (name) => exporterOptions[name], fromCode: options.exporters !== undefined, fallbackFromCode: typeof options.fallbackExporter === 'string', exitBudget, once, serve: cluster.serve, registry: exporters, log, direct });
  const resource = buildResource({ ...cluster.resourceAttributes, ...config.resourceAttributes }, log);
  const provider = new MeterProvider({ resource, readers, views: config.views, sdkMetricsEnabled: false });
  if (config.selfObservability) {
    const self = new SelfMetrics(stats);
    // The SDK's names: periodic_metric_reader, else the reader's class.
    for (const { reader, push } of own) self.timeCollections(reader, push ? 'periodic_metric_reader' : reader.constructor.name, push);
    direct.add((r) => self.collect(r));
  }
  const stopProducers = startProducers(provider, env, options, { registry: producers, log, direct: (scope) => direct.sourcesFor(scope, config.views, readers) }, cluster.skipSystem ? ['system'] : []);
  const instanceId = resource.attributes['service.instance.id'];
  // Only the pipeline that owns the global provider takes the threads' points, so they count once.
  const stopThreads = config.setGlobal && clusterConfig.threads ? receiveThreadPoints(provider) : () => {};
  const stopCluster = cluster.attach(readers, config.selfObservability ? provider.getMeter('otel-metrics-pipeline') : createNoopMeter(), instanceId === undefined ? undefined : String(instanceId));
  const { health, stop: stopHealth } = startHealth(env, stats, log);
  let removeDiag = (): void => {};
  if (config.setGlobal) {
    removeDiag = addDiagLogger(log.level);
    // A pipeline we shut down earlier still holds the global slot; free it so this one can take it.
    if (runningPipeline()?.stopped) metrics.disable();
    if (!metrics.setGlobalMeterProvider(provider)) {
      log.warn('a global MeterProvider was already installed; keeping it, so only meters from handle.meterProvider reach our exporters');
    }
  }

  let stopped = false;
  let shutdownResult: Promise<boolean> | undefined;
  let removeHooks = (): void => {};
  const handle: MetricsHandle = {
    meterProvider: provider,
    // Bounded in the chain: the queue waits at most the export timeout for itself to empty.
    forceFlush: async () => {
      if (shutdownResult) return;
      // Our sockets and timers are unref'd, so in a script with nothing else alive the loop
      // empties while the app awaits this flush: beforeExit would shut the pipeline down mid-flush
      // and every later record and flush would be lost without a word. The awaited flush holds
      // the loop itself, at most the export timeout (its own bound), then lets go.
      const hold = setTimeout(() => {}, config.exportTimeoutMillis);
      try {
        await logged(provider.forceFlush(), 'flush', log);
      } finally {
        clearTimeout(hold);
      }
    },
    shutdown: () => {
      shutdownResult ??= (async () => {
        removeHooks();
        // The health server closes alongside; the exit budget is not spent waiting for it.
        void stopHealth();
        // The one deadline of the exit: every delivery chain makes its last attempts within it,
        // then spools or reports; nothing here adds time of its own.
        exitBudget.start();
        const release = exitBudget.hold();
        // A cluster worker's last values go to the primary before its reader shuts down.
        await settledOrAborted(stopCluster(), AbortSignal.any([exitBudget.signal, AbortSignal.timeout(CLUSTER_LAST_ANSWER_MILLIS)]));
        await logged(provider.shutdown(), 'shutdown', log);
        release();
        const inTime = !exitBudget.expired;
        exitBudget.end();
        // After the final collection, so the last export still carries the producers' last values.
        stopProducers();
        stopThreads();
        stopped = true;
        removeDiag();
        return inTime;
      })();
      return shutdownResult;
    },
  };
  const pipeline: Pipeline = {
    handle, log, health, exporters, producers, once, global: config.setGlobal,
    get stopped() { return stopped; },
  };
  if (config.setGlobal) occupySlot(pipeline);
  if (config.flushOnExit) removeHooks = installExitHooks(handle, exitBudget, log);
  return pipeline;
}

// Export health for getHealth() always; the /healthz, /readyz endpoint when OTEL_METRICS_HEALTH_PORT is set.
function startHealth(env: EnvReader, stats: DeliveryStats[], log: Log): { health: PipelineHealth; stop: () => Promise<void> } {
  const config = readHealthConfig(env);
  const health = new PipelineHealth({ thresholds: config.thresholds });
  health.setExportHealthSource(() => stats.map(exportHealthOf));
  if (config.port === undefined) return { health, stop: async () => health.close() };
  const { startHealthServer } = require('../../instrumentation/health/health-server') as typeof import('../../instrumentation/health/health-server');
  const server = startHealthServer(health.monitorNow(), config.port, config.host, config.maxConnections, log);
  return {
    health,
    stop: async () => {
      await (await server)?.close();
      health.close();
    },
  };
}

// Resolves when `work` settles or `signal` aborts, whichever comes first; never rejects.
function settledOrAborted(work: Promise<unknown>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', done, { once: true });
    work.then(done, done);
  });
}

function logged(work: Promise<void>, what: string, log: Log): Promise<void> {
  return work.catch((err: Error) => log.error(`${what} failed: ${err.message}`));
}
