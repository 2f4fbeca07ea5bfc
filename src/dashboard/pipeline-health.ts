import type { MetricEntry } from './metric-entry';
import type { MetricStore } from './metric-store';

/** One sender pipeline's own figures, from its self-metrics (latest values, summed over exporters). */
export interface PipelineHealth {
  service: string;
  instance: string;
  exported?: number;
  dropped?: number;
  rejected?: number;
  retries?: number;
  queueSize?: number;
  queueCapacity?: number;
  /** p99 of the last interval's export attempts, in seconds. */
  exportP99Seconds?: number;
}

// The names src/pipeline/self-metrics.ts registers (OTel SDK self-observability conventions where they exist).
const SUMMED: Array<[keyof PipelineHealth, string]> = [
  ['exported', 'otel.sdk.exporter.metric_data_point.exported'],
  ['dropped', 'otel_metrics_pipeline.dropped'],
  ['rejected', 'otel_metrics_pipeline.rejected'],
  ['retries', 'otel_metrics_pipeline.retries'],
  ['queueSize', 'otel_metrics_pipeline.queue.size'],
  ['queueCapacity', 'otel_metrics_pipeline.queue.capacity'],
];
const DURATION = 'otel.sdk.exporter.operation.duration';

/** The health of every sender that reports self-metrics; empty when none does. */
export function pipelineHealth(store: MetricStore): PipelineHealth[] {
  const byInstance = new Map<string, PipelineHealth>();
  const row = (key: string): PipelineHealth => {
    let h = byInstance.get(key);
    if (!h) {
      const i = store.instances.get(key);
      h = { service: i?.service ?? '?', instance: i?.instance ?? '?' };
      byInstance.set(key, h);
    }
    return h;
  };
  for (const [field, name] of SUMMED) {
    const metric = store.metrics.get(name);
    if (metric) for (const [key, value] of latestBy(metric, 0, (a, b) => a + b)) (row(key) as unknown as Record<string, number>)[field] = value;
  }
  const duration = store.metrics.get(DURATION);
  if (duration) for (const [key, value] of latestBy(duration, 4, Math.max)) row(key).exportP99Seconds = value;
  return [...byInstance.values()];
}

function latestBy(metric: MetricEntry, column: number, combine: (a: number, b: number) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of metric.series.values()) {
    const last = s.ring.read(s.ring.written - 1, -Infinity);
    const v = last.v[column]?.[0];
    if (v === undefined || Number.isNaN(v)) continue;
    const prev = out.get(s.instanceKey);
    out.set(s.instanceKey, prev === undefined ? v : combine(prev, v));
  }
  return out;
}
