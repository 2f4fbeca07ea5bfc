import { MeterProvider, MetricReader, type DataPoint, type MetricData } from '@opentelemetry/sdk-metrics';
import type { MetricProducer } from '../../instrumentation/producer';

/** A pull reader a test collects from on demand (cumulative temporality). */
export class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** One collection: metrics by name. */
export type Collected = Map<string, MetricData>;

/** Starts `producers` on a fresh MeterProvider with `readers` TestReaders. */
export function harness(producers: MetricProducer[], readerCount = 1) {
  const readers = Array.from({ length: readerCount }, () => new TestReader());
  const provider = new MeterProvider({ readers });
  const meter = provider.getMeter('test');
  for (const p of producers) p.start(meter);
  return {
    provider,
    readers,
    async collect(reader = 0): Promise<Collected> {
      const { resourceMetrics, errors } = await readers[reader].collect();
      if (errors.length) throw errors[0];
      const out: Collected = new Map();
      for (const sm of resourceMetrics.scopeMetrics) for (const m of sm.metrics) out.set(m.descriptor.name, m);
      return out;
    },
    async close(): Promise<void> {
      for (const p of producers) p.stop();
      await provider.shutdown();
    },
  };
}

/** Data points of `name` whose attributes include `match`. */
export function points(c: Collected, name: string, match: Record<string, unknown> = {}): DataPoint<unknown>[] {
  const m = c.get(name);
  if (!m) return [];
  return (m.dataPoints as DataPoint<unknown>[]).filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v));
}

/** The single numeric value of `name` with `match`, or undefined. */
export function value(c: Collected, name: string, match: Record<string, unknown> = {}): number | undefined {
  const p = points(c, name, match);
  return p.length ? (p[0].value as number) : undefined;
}

/** Sum of numeric values of `name` with `match`. */
export function sum(c: Collected, name: string, match: Record<string, unknown> = {}): number {
  return points(c, name, match).reduce((s, p) => s + (p.value as number), 0);
}
