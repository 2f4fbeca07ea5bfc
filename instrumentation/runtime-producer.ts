import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { ValueType, type Attributes, type BatchObservableCallback, type Meter, type Observable } from '@opentelemetry/api';
import { defaultLog, type Log } from '../core/log';
import { acquireEventLoopWindow } from './shared-event-loop-window';
import type { MetricProducer } from './producer';
import { RUNTIME } from './semconv';

/** Options of the `runtime` producer. */
export interface RuntimeProducerOptions {
  /** Event-loop delay/utilization window, ms; default 10000. */
  eventLoopWindowMillis?: number;
  /** Event-loop delay sampling period, ms; default 100 (each sample wakes an idle loop). */
  eventLoopResolutionMillis?: number;
}

/** semconv v8js.gc.duration bucket boundaries, seconds. */
export const GC_BUCKETS = [0.01, 0.1, 1, 10];

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

const DELAY_STATS = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'] as const;

// One attribute set per kind, built once: under allocation-heavy load a GC entry comes every
// few milliseconds, and each would otherwise allocate its own.
const GC_ATTRIBUTES: Record<number, Attributes> = Object.fromEntries(Object.entries(GC_KINDS).map(([k, v]) => [k, { 'v8js.gc.type': v }]));
const UNKNOWN_GC: Attributes = { 'v8js.gc.type': 'unknown' };

/**
 * Node runtime: event-loop delay and utilization (see EventLoopWindow for the window rule),
 * cumulative event-loop time by state, GC pauses, V8 heap spaces and active resources.
 */
export function createRuntimeProducer(options: RuntimeProducerOptions = {}, log: Log = defaultLog): MetricProducer {
  let stopFn: (() => void) | undefined;
  return {
    name: 'runtime',
    start(meter: Meter) {
      if (stopFn) return;
      const { window, release } = acquireEventLoopWindow(options.eventLoopWindowMillis ?? 10_000, options.eventLoopResolutionMillis ?? 100);
      const delays = DELAY_STATS.map((stat) =>
        meter.createObservableGauge(`${RUNTIME.delayPrefix}${stat}`, { unit: 's', description: `Event-loop delay ${stat} over the last completed window` }),
      );
      const elu = meter.createObservableGauge(RUNTIME.elu, { unit: '1', description: 'Event-loop utilization over the last completed window' });
      const eluTime = meter.createObservableCounter(RUNTIME.eluTime, { unit: 's', description: 'Cumulative time the event loop was active or idle' });
      const heapUsed = meter.createObservableUpDownCounter(RUNTIME.heapUsed, { unit: 'By', valueType: ValueType.INT, description: 'V8 heap space used' });
      const heapSize = meter.createObservableUpDownCounter(RUNTIME.heapSpaceSize, { unit: 'By', valueType: ValueType.INT, description: 'V8 heap space size' });
      const heapAvail = meter.createObservableUpDownCounter(RUNTIME.heapSpaceAvailable, { unit: 'By', valueType: ValueType.INT, description: 'V8 heap space available' });
      const heapPhys = meter.createObservableUpDownCounter(RUNTIME.heapSpacePhysical, { unit: 'By', valueType: ValueType.INT, description: 'V8 heap space committed' });
      const resources = meter.createObservableUpDownCounter(RUNTIME.resources, { unit: '{resource}', valueType: ValueType.INT, description: 'Active resources keeping the loop alive, by type' });
      const observables: Observable[] = [...delays, elu, eluTime, heapUsed, heapSize, heapAvail, heapPhys, resources];
      const gc = meter.createHistogram(RUNTIME.gcDuration, { unit: 's', description: 'Garbage collection pauses', advice: { explicitBucketBoundaries: GC_BUCKETS } });

      const callback: BatchObservableCallback = (result) => {
        try {
          const reading = window.read();
          if (reading.delay) DELAY_STATS.forEach((stat, i) => result.observe(delays[i], reading.delay![stat]));
          if (reading.utilization !== undefined) result.observe(elu, reading.utilization);
          const total = performance.eventLoopUtilization();
          result.observe(eluTime, total.active / 1000, { 'nodejs.eventloop.state': 'active' });
          result.observe(eluTime, total.idle / 1000, { 'nodejs.eventloop.state': 'idle' });
          for (const s of getHeapSpaceStatistics()) {
            const attrs = { 'v8js.heap.space.name': s.space_name };
            result.observe(heapUsed, s.space_used_size, attrs);
            result.observe(heapSize, s.space_size, attrs);
            result.observe(heapAvail, s.space_available_size, attrs);
            result.observe(heapPhys, s.physical_space_size, attrs);
          }
          const byType = new Map<string, number>();
          for (const type of process.getActiveResourcesInfo()) byType.set(type, (byType.get(type) ?? 0) + 1);
          for (const [type, n] of byType) result.observe(resources, n, { 'v8js.resource.type': type });
        } catch (err) {
          log.debug(`instrumentation: runtime collection skipped: ${(err as Error).message}`);
        }
      };
      meter.addBatchObservableCallback(callback, observables);

      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
          gc.record(entry.duration / 1000, GC_ATTRIBUTES[kind ?? -1] ?? UNKNOWN_GC);
        }
      });
      observer.observe({ entryTypes: ['gc'] });

      stopFn = () => {
        meter.removeBatchObservableCallback(callback, observables);
        observer.disconnect();
        release();
      };
    },
    stop() {
      stopFn?.();
      stopFn = undefined;
    },
  };
}
