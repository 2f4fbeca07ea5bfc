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

const SEPARATORS = /[\u0001\u0002"]/;

/** The keys coalescing uses unless a test passes its own. */
export const streamKeys: StreamKeys = {
  scopeKey: (sm) => `${sm.scope.name}\u0000${sm.scope.version ?? ''}\u0000${sm.scope.schemaUrl ?? ''}`,
  metricKey(m) {
    const d = m.descriptor;
    const monotonic = m.dataPointType === DataPointType.SUM ? String(m.isMonotonic) : '';
    return `${d.name}\u0000${d.unit}\u0000${m.dataPointType}\u0000${m.aggregationTemporality}\u0000${monotonic}`;
  },
  // Order-independent: the SDK gives one stream's attributes in the order they were first
  // recorded. Strings and numbers go in as they are, between separators no sane value holds
  // (a value that holds one is JSON-encoded, so keys never collide); this runs once per point.
  attributesKey(attributes) {
    const keys = Object.keys(attributes);
    if (keys.length > 1) keys.sort();
    let key = '';
    for (const k of keys) {
      const v = attributes[k];
      const plain = typeof v === 'number' || (typeof v === 'string' && !SEPARATORS.test(v));
      key += `${SEPARATORS.test(k) ? JSON.stringify(k) : k}\u0001${plain ? `${typeof v === 'number' ? 'n' : 's'}${v as string | number}` : `j${JSON.stringify(v)}`}\u0002`;
    }
    return key;
  },
};
