import type { Attributes, Meter, MeterOptions, MeterProvider, MetricOptions, ObservableCallback, ObservableResult } from '@opentelemetry/api';
import { createNoopMeter } from '@opentelemetry/api';
import type { ThreadInstrument, ThreadInstrumentKind } from './thread-points';

// More than this many histogram values waiting in one series and the thread posts at once.
const MAX_PENDING_VALUES = 4096;

// The SDK's own series key (hashAttributes), so a thread's add costs what the main thread's does.
const keyOf = (attributes: Attributes | undefined): string => {
  if (!attributes) return '';
  const keys = Object.keys(attributes);
  if (keys.length === 0) return '';
  if (keys.length > 1) keys.sort();
  return JSON.stringify(keys.map((k) => [k, attributes[k]]));
};

class ThreadStream {
  readonly series = new Map<string, { attributes: Attributes; value: number | number[] }>();
  constructor(readonly info: Omit<ThreadInstrument, 'points'>, private readonly overflow: () => void) {}

  record(value: number, attributes: Attributes | undefined): void {
    if (typeof value !== 'number' || Number.isNaN(value)) return;
    const key = keyOf(attributes);
    const had = this.series.get(key);
    const kind = this.info.kind;
    if (kind === 'counter' && value < 0) return;
    if (!had) {
      this.series.set(key, { attributes: { ...attributes }, value: kind === 'histogram' ? [value] : value });
    } else if (kind === 'histogram') {
      if ((had.value as number[]).push(value) >= MAX_PENDING_VALUES) this.overflow();
    } else {
      had.value = kind === 'gauge' ? value : (had.value as number) + value;
    }
  }

  /** The points since the last take, and a fresh start (each point is delivered once). */
  take(): ThreadInstrument | undefined {
    if (this.series.size === 0) return undefined;
    const points = [...this.series.values()];
    this.series.clear();
    return { ...this.info, points };
  }
}

/**
 * The light provider `@opentelemetry/api` gets in a worker thread: synchronous instruments
 * that add into a map (what a normal `counter.add` costs), and a `take()` that hands over
 * what was recorded since the last one. Observable instruments are read at each take, on the
 * thread itself: a gauge's observation is its value, a counter's or up-down counter's becomes
 * the delta from its previous observation. Only synchronous `observe` calls count (a thread
 * ending has no event loop left to wait on); batch callbacks are not supported.
 */
export class ThreadMeterProvider implements MeterProvider {
  private readonly streams = new Map<string, ThreadStream>();
  private readonly observers: Array<() => void> = [];
  private readonly noop = createNoopMeter();

  constructor(private readonly onOverflow: () => void) {}

  getMeter(name: string, version?: string, _options?: MeterOptions): Meter {
    const create = (kind: ThreadInstrumentKind) => (instrument: string, opts: MetricOptions = {}) => {
      const key = `${name}\u0000${version ?? ''}\u0000${instrument}\u0000${kind}`;
      let stream = this.streams.get(key);
      if (!stream) {
        stream = new ThreadStream({ scope: name, version, name: instrument, kind, unit: opts.unit, description: opts.description, valueType: opts.valueType, bounds: opts.advice?.explicitBucketBoundaries }, this.onOverflow);
        this.streams.set(key, stream);
      }
      const s = stream;
      return kind === 'counter' || kind === 'updown'
        ? { add: (v: number, a?: Attributes) => s.record(v, a) }
        : { record: (v: number, a?: Attributes) => s.record(v, a) };
    };
    const observable = (kind: ThreadInstrumentKind) => (instrument: string, opts: MetricOptions = {}) => {
      const sink = create(kind)(instrument, opts) as { add?(v: number, a?: Attributes): void; record?(v: number, a?: Attributes): void };
      const callbacks = new Set<ObservableCallback>();
      const previous = new Map<string, number>();
      const result: ObservableResult = {
        observe: (value: number, attributes?: Attributes) => {
          if (typeof value !== 'number' || Number.isNaN(value)) return;
          if (kind === 'gauge') return sink.record!(value, attributes);
          const key = keyOf(attributes);
          const delta = value - (previous.get(key) ?? 0);
          previous.set(key, value);
          if (delta !== 0) sink.add!(delta, attributes);
        },
      };
      this.observers.push(() => {
        for (const cb of callbacks) {
          try {
            void cb(result);
          } catch {
            /* the app's callback failing costs only its own observations */
          }
        }
      });
      return { addCallback: (cb: ObservableCallback) => { callbacks.add(cb); }, removeCallback: (cb: ObservableCallback) => { callbacks.delete(cb); } };
    };
    const meter = Object.create(this.noop) as Meter;
    return Object.assign(meter, {
      createCounter: create('counter'),
      createUpDownCounter: create('updown'),
      createHistogram: create('histogram'),
      createGauge: create('gauge'),
      createObservableCounter: observable('counter'),
      createObservableUpDownCounter: observable('updown'),
      createObservableGauge: observable('gauge'),
    }) as Meter;
  }

  /** Everything recorded since the last call. */
  take(): ThreadInstrument[] {
    for (const observe of this.observers) observe();
    const out: ThreadInstrument[] = [];
    for (const s of this.streams.values()) {
      const taken = s.take();
      if (taken) out.push(taken);
    }
    return out;
  }
}
