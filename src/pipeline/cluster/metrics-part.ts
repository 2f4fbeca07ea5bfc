import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';

/** One process's cumulative collection as the primary merges it: who it came from, and its scopes. */
export interface MetricsPart {
  /** The process's `service.instance.id`, the label its per-process series get. */
  instanceId: string;
  scopeMetrics: ScopeMetrics[];
}
