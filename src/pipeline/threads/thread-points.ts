import type { Attributes } from '@opentelemetry/api';

/** The BroadcastChannel worker threads post their points on; the main thread's pipeline listens. */
export const THREADS_CHANNEL = 'otel-metrics-pipeline.threads';

/** The synchronous instrument kinds a thread's light provider records. */
export type ThreadInstrumentKind = 'counter' | 'updown' | 'histogram' | 'gauge';

/** One instrument's points since the thread's last post: sums for counters, the last value for gauges, every value for histograms. */
export interface ThreadInstrument {
  scope: string;
  version?: string;
  name: string;
  kind: ThreadInstrumentKind;
  unit?: string;
  description?: string;
  valueType?: number;
  bounds?: number[];
  points: Array<{ attributes: Attributes; value: number | number[] }>;
}

/** One post from a thread: each point in it is delivered once, as a delta. */
export interface ThreadPoints {
  otelMetricsPipelineThread: 1;
  instruments: ThreadInstrument[];
}
