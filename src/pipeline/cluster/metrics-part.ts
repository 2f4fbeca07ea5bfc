import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';

/** One process's cumulative collection as the primary merges it: who it came from, and its scopes. */
export interface MetricsPart {
  /** The process's `service.instance.id`, the label its per-process series get. */
  instanceId: string;
  scopeMetrics: ScopeMetrics[];
}

/**
 * The JSON the cluster IPC channel carries turns `undefined` into a missing key and `Infinity`
 * into `null`; the serializers test histogram `min`/`max`/`sum` for `undefined`.
 */
export function revivePart(part: MetricsPart): MetricsPart {
  for (const scope of part.scopeMetrics) {
    for (const metric of scope.metrics) {
      for (const point of metric.dataPoints as Array<{ value: unknown }>) {
        const v = point.value as Record<string, unknown> | null;
        if (v !== null && typeof v === 'object') {
          for (const key of ['min', 'max', 'sum']) if (v[key] === null) v[key] = undefined;
        }
      }
    }
  }
  return part;
}
