import type { Attributes, MeterProvider } from '@opentelemetry/api';
import { THREADS_CHANNEL, type ThreadInstrument, type ThreadPoints } from './thread-points';

interface Sink {
  add?(value: number, attributes: Attributes): void;
  record?(value: number, attributes: Attributes): void;
}

/**
 * The main thread's side: replays every thread's points on this pipeline's own instruments of
 * the same scope and name, so they join the main thread's streams and every exporter sees one
 * series per attribute set. Each post is a delta and is received once, here. Returns the stop
 * function; the channel does not keep the process alive.
 */
export function receiveThreadPoints(provider: MeterProvider): () => void {
  const channel = new BroadcastChannel(THREADS_CHANNEL);
  (channel as unknown as { unref(): void }).unref();
  const sinks = new Map<string, Sink>();
  const sinkFor = (i: ThreadInstrument): Sink => {
    const key = `${i.scope}\u0000${i.version ?? ''}\u0000${i.name}\u0000${i.kind}`;
    let sink = sinks.get(key);
    if (!sink) {
      const meter = provider.getMeter(i.scope, i.version);
      const opts = { unit: i.unit, description: i.description, valueType: i.valueType, advice: i.bounds ? { explicitBucketBoundaries: i.bounds } : undefined };
      sink = i.kind === 'counter' ? meter.createCounter(i.name, opts)
        : i.kind === 'updown' ? meter.createUpDownCounter(i.name, opts)
          : i.kind === 'gauge' ? meter.createGauge(i.name, opts)
            : meter.createHistogram(i.name, opts);
      sinks.set(key, sink);
    }
    return sink;
  };
  channel.onmessage = (event: MessageEvent) => {
    const data = event.data as ThreadPoints | undefined;
    if (data?.otelMetricsPipelineThread !== 1) return;
    for (const instrument of data.instruments) {
      try {
        const sink = sinkFor(instrument);
        for (const { attributes, value } of instrument.points) {
          if (Array.isArray(value)) for (const v of value) sink.record!(v, attributes);
          else if (sink.add) sink.add(value, attributes);
          else sink.record!(value, attributes);
        }
      } catch {
        /* one odd instrument must not cost the others */
      }
    }
  };
  return () => channel.close();
}
