import { metrics, ValueType, type Attributes, type BatchObservableCallback, type Meter, type Observable } from '@opentelemetry/api';
import { ConfigError } from '../core/errors';
import { defaultLog } from '../core/log';
import { livePipeline } from '../core/running-pipeline';

/** One metric a custom collector reports (Prometheus' Describe). */
export interface CollectorMetric {
  /** OTel name, e.g. `queue.length`; the Prometheus exporter turns it into `queue_length`. */
  name: string;
  /** `gauge` (default; a current value), `counter` (a monotonic total) or `updowncounter` (a total that may go down). */
  kind?: 'gauge' | 'counter' | 'updowncounter';
  description?: string;
  /** UCUM unit, e.g. `By`, `s`, `{item}`; default none. */
  unit?: string;
  /** `double` (default) or `int`. */
  valueType?: 'double' | 'int';
}

/** Reports one value of a described metric; attributes become Prometheus labels. */
export type Observe = (name: string, value: number, attributes?: Attributes) => void;

/** The Prometheus custom-collector pattern: describe once, collect on every scrape or export. */
export interface CustomCollector {
  /** Describe: the metrics this collector reports. */
  metrics: readonly CollectorMetric[];
  /** Collect: called once per collection; may be async (the SDK waits up to its callback timeout). */
  collect(observe: Observe): void | Promise<void>;
}

/** Where the instruments live: default the global meter `otel-metrics-pipeline/collector`. */
export interface RegisterCollectorOptions {
  meter?: Meter;
}

/** Stops a registered collector; idempotent. */
export interface CollectorRegistration {
  unregister(): void;
}

const KINDS = ['gauge', 'counter', 'updowncounter'] as const;

/**
 * Maps Describe/Collect onto one OTel batch observable callback: the values the app already
 * holds (queue lengths, pool sizes, cache entries) are read only when metrics are collected,
 * never on the hot path. A throwing `collect` is one rate-limited line, never the app's error.
 * Uses the global meter unless one is given: call it after the pipeline started (the
 * `--require` preload does that before the app's code runs).
 */
export function registerCollector(collector: CustomCollector, options: RegisterCollectorOptions = {}): CollectorRegistration {
  if (!collector || typeof collector.collect !== 'function') throw new ConfigError('registerCollector needs { metrics, collect(observe) }');
  if (!Array.isArray(collector.metrics) || collector.metrics.length === 0) throw new ConfigError('registerCollector: metrics must list at least one metric');
  const meter = options.meter ?? metrics.getMeter('otel-metrics-pipeline/collector');
  const instruments = new Map<string, Observable>();
  for (const m of collector.metrics) {
    if (typeof m?.name !== 'string' || m.name === '') throw new ConfigError('registerCollector: every metric needs a name');
    if (instruments.has(m.name)) throw new ConfigError(`registerCollector: metric ${JSON.stringify(m.name)} is listed twice`);
    const kind = m.kind ?? 'gauge';
    if (!KINDS.includes(kind)) throw new ConfigError(`registerCollector: kind of ${m.name} must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
    const opts = { description: m.description, unit: m.unit, valueType: m.valueType === 'int' ? ValueType.INT : ValueType.DOUBLE };
    instruments.set(m.name, kind === 'counter' ? meter.createObservableCounter(m.name, opts)
      : kind === 'updowncounter' ? meter.createObservableUpDownCounter(m.name, opts)
      : meter.createObservableGauge(m.name, opts));
  }
  const described = [...instruments.keys()].join(', ');
  // This collector's own limiter, at the level of the pipeline running now (if any).
  const log = (livePipeline()?.log ?? defaultLog).limited();
  const callback: BatchObservableCallback = async (result) => {
    const observe: Observe = (name, value, attributes) => {
      const instrument = instruments.get(name);
      if (instrument) result.observe(instrument, value, attributes);
      else log.log(`collector-unknown:${described}`, `collector (${described}) observed ${JSON.stringify(name)}, which it did not describe; value ignored`);
    };
    try {
      await collector.collect(observe);
    } catch (err) {
      log.log(`collector-failed:${described}`, `collector (${described}) failed: ${(err as Error)?.message ?? String(err)}; its values are missing from this collection`);
    }
  };
  meter.addBatchObservableCallback(callback, [...instruments.values()]);
  let active = true;
  return {
    unregister() {
      if (!active) return;
      active = false;
      meter.removeBatchObservableCallback(callback, [...instruments.values()]);
    },
  };
}
