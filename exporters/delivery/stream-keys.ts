import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type MetricData, type ScopeMetrics } from '@opentelemetry/sdk-metrics';

/**
 * The identities coalescing matches streams by: a scope, a metric within it (name, unit, kind,
 * temporality, monotonicity), and an attribute set within that. Passed as an object so a test
 * can count the calls: coalescing must make a bounded number per metric and per point.
 */
export interface StreamKeys {
  scopeKey(sm: ScopeMetrics): string;
  metricKey(m: MetricData): string;
  attributesKey(attributes: Attributes): string;
}

/** The keys coalescing uses unless a test passes its own. */
export const streamKeys: StreamKeys = {
  scopeKey: (sm) => `${sm.scope.name}\u0000${sm.scope.version ?? ''}\u0000${sm.scope.schemaUrl ?? ''}`,
  metricKey(m) {
    const d = m.descriptor;
    const monotonic = m.dataPointType === DataPointType.SUM ? String(m.isMonotonic) : '';
    return `${d.name}\u0000${d.unit}\u0000${m.dataPointType}\u0000${m.aggregationTemporality}\u0000${monotonic}`;
  },
  // Order-independent: the SDK gives one stream's attributes in the order they were first recorded.
  attributesKey(attributes) {
    const keys = Object.keys(attributes);
    if (keys.length > 1) keys.sort();
    let key = '';
    for (const k of keys) key += `${JSON.stringify(k)}:${JSON.stringify(attributes[k])},`;
    return key;
  },
};
