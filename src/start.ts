import { metrics, createNoopMeter, type MeterProvider as ApiMeterProvider } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { EnvReader } from '../core/env-reader';
import { resolveConfig, resolveEarly } from './config/resolve-config';
import { ExitBudget } from '../exporters/delivery/exit-budget';
import { RateLimitedLog } from '../core/rate-limited-log';
import { error, info, setLogLevel, warn } from '../core/diag';
import { exporterOptionsFor, type MetricsOptions } from './metrics-options';
import { installExitHooks } from './pipeline/exit-hooks';
import { checkInstrumentationNames, startProducers } from './pipeline/producers';
import { buildReaders } from './pipeline/readers';
import { buildResource } from './pipeline/resource';
import { clusterSetup } from './pipeline/cluster/cluster-setup';
import { readClusterConfig } from './config/cluster-options';
import { receiveThreadPoints } from './pipeline/threads/receive-thread-points';
import { registerSelfMetrics } from './pipeline/self-metrics';
import type { DeliveryStats } from '../exporters/delivery/delivery-stats';
import { exportHealthOf } from '../instrumentation/health/export-health';
import { closeDefaultHealthMonitor, defaultHealthMonitor, setDefaultHealthOptions, setExportHealthSource } from '../instrumentation/health/health';
import { readHealthConfig } from '../instrumentation/health/health-config';

/** Most of the exit budget a cluster worker spends sending its last values to the primary, in ms. */
const CLUSTER_LAST_ANSWER_MILLIS = 500;

/** What `startMetrics` returns. */
export interface MetricsHandle {
  /** The SDK MeterProvider (a no-op one when disabled); also the global one unless `setGlobal: false`. */
  meterProvider: ApiMeterProvider;
  /** Collects and exports now; resolves once the queue is empty, waiting at most the export timeout (ms, `OTEL_METRIC_EXPORT_TIMEOUT`); never rejects. */
  forceFlush(): Promise<void>;
  /** Final flush and release; idempotent; waits at most the exit budget (ms, `OTEL_METRICS_SHUTDOWN_TIMEOUT`, default 3000); resolves `false` if data was left undelivered when it ran out. */
  shutdown(): Promise<boolean>;
}

// The pipeline that owns the global MeterProvider, shared across copies of this module (the
// preload's CJS copy and an ESM app's), so a second start never fights over the global.
const GLOBAL = Symbol.for('otel-metrics-pipeline.running');
const state = globalThis as { [GLOBAL]?: { handle: MetricsHandle; stopped: boolean } };

/**
 * Builds the metrics pipeline from code options laid over the `OTEL_*` environment, installs it
 * as the global MeterProvider and hooks exit so the final values are exported. Bad env values
 * warn and fall back; bad code options throw ConfigError. While a pipeline owns the global
 * provider, a second call returns that pipeline's handle (one line says so); after its
 * shutdown, a new call takes the global over cleanly.
 */
export function startMetrics(options: MetricsOptions = {}): MetricsHandle {
  // The level first, silently, so OTEL_LOG_LEVEL=none also silences the configuration warnings.
  setLogLevel(resolveEarly(new EnvReader(options.env ?? process.env, () => {}), options).logLevel);
  const env = new EnvReader(options.env ?? process.env);
  const config = resolveConfig(options, env);
  checkInstrumentationNames(env, options);
  if (config.disabled) return disabledHandle();
  const running = state[GLOBAL];
  if (config.setGlobal && running && !running.stopped) {
    info('startMetrics: a pipeline is already running (the preload, or an earlier call); returning its handle');
    return running.handle;
  }

  const exitBudget = new ExitBudget(config.shutdownTimeoutMillis);
  const clusterConfig = readClusterConfig(env, options.cluster);
  const cluster = clusterSetup(clusterConfig);
  const { readers, stats } = buildReaders(config, { env, optionsFor: (name) => exporterOptionsFor(name, options), fromCode: options.exporters !== undefined, fallbackFromCode: typeof options.fallbackExporter === 'string', exitBudget, once: new RateLimitedLog(Infinity), serve: cluster.serve });
  const resource = buildResource({ ...cluster.resourceAttributes, ...config.resourceAttributes });
  const provider = new MeterProvider({
    resource,
    readers,
    views: config.views,
    sdkMetricsEnabled: config.selfObservability,
  });
  if (config.selfObservability) registerSelfMetrics(provider.getMeter('otel-metrics-pipeline'), stats);
  const stopProducers = startProducers(provider, env, options, cluster.skipSystem ? ['system'] : []);
  const instanceId = resource.attributes['service.instance.id'];
  // Only the pipeline that owns the global provider takes the threads' points, so they count once.
  const stopThreads = config.setGlobal && clusterConfig.threads ? receiveThreadPoints(provider) : () => {};
  const stopCluster = cluster.attach(readers, config.selfObservability ? provider.getMeter('otel-metrics-pipeline') : createNoopMeter(), instanceId === undefined ? undefined : String(instanceId));
  const stopHealth = startHealth(env, stats);
  if (config.setGlobal) {
    // A pipeline we shut down earlier still holds the global slot; free it so this one can take it.
    if (running?.stopped) metrics.disable();
    if (!metrics.setGlobalMeterProvider(provider)) {
      warn('a global MeterProvider was already installed; keeping it, so only meters from handle.meterProvider reach our exporters');
    }
  }

  let shutdownResult: Promise<boolean> | undefined;
  let removeHooks = (): void => {};
  const handle: MetricsHandle = {
    meterProvider: provider,
    // Bounded in the chain: the queue waits at most the export timeout for itself to empty.
    forceFlush: async () => {
      if (shutdownResult) return;
      await logged(provider.forceFlush(), 'flush');
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
        await logged(provider.shutdown(), 'shutdown');
        release();
        const inTime = !exitBudget.expired;
        exitBudget.end();
        // After the final collection, so the last export still carries the producers' last values.
        stopProducers();
        stopThreads();
        if (state[GLOBAL]?.handle === handle) state[GLOBAL].stopped = true;
        return inTime;
      })();
      return shutdownResult;
    },
  };
  if (config.setGlobal) state[GLOBAL] = { handle, stopped: false };
  if (config.flushOnExit) removeHooks = installExitHooks(handle, exitBudget);
  return handle;
}

// Export health for getHealth() always; the /healthz, /readyz endpoint when OTEL_METRICS_HEALTH_PORT is set.
function startHealth(env: EnvReader, stats: DeliveryStats[]): () => Promise<void> {
  setExportHealthSource(() => stats.map(exportHealthOf));
  const config = readHealthConfig(env);
  setDefaultHealthOptions({ thresholds: config.thresholds });
  if (config.port === undefined) return async () => {};
  const { startHealthServer } = require('../instrumentation/health/health-server') as typeof import('../instrumentation/health/health-server');
  const server = startHealthServer(defaultHealthMonitor({ thresholds: config.thresholds }), config.port, config.host, config.maxConnections);
  return async () => {
    await (await server)?.close();
    closeDefaultHealthMonitor();
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

function logged(work: Promise<void>, what: string): Promise<void> {
  return work.catch((err: Error) => error(`${what} failed: ${err.message}`));
}

function disabledHandle(): MetricsHandle {
  const meter = createNoopMeter();
  return {
    meterProvider: { getMeter: () => meter },
    forceFlush: async () => {},
    shutdown: async () => true,
  };
}
