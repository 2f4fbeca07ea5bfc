import type { DataPoint, MetricData, ResourceMetrics, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { knownBytes, metricBytes, pointBytes, resourceBytes, scopeBytes } from './batch-size';

/** The scope of the pipeline's own metrics; sent first when a batch is split, so it is never the casualty. */
const OWN_SCOPE = 'otel-metrics-pipeline';

/**
 * Splits a batch into batches of at most `maxBytes` (estimated as encoded OTLP), each holding
 * whole points with their metric and scope; a single point larger than that goes alone. The
 * pipeline's own scope goes first. One pass over the points, each estimated once. Pure: the
 * input is not changed, and a batch that fits is returned as it is.
 */
export function splitBatch(batch: ResourceMetrics, maxBytes: number): ResourceMetrics[] {
  // The queue estimated it already: a batch that fits needs no second pass over its points. The
  // pass below counts a scope's share once per metric, the estimate once per scope: add the rest.
  const known = knownBytes(batch);
  if (known !== undefined) {
    let total = known;
    for (const sm of batch.scopeMetrics) total += scopeBytes(sm) * Math.max(0, sm.metrics.length - 1);
    if (total <= maxBytes) return [batch];
  }
  const base = resourceBytes(batch);
  const scopes = [...batch.scopeMetrics].sort((a, b) => Number(b.scope.name === OWN_SCOPE) - Number(a.scope.name === OWN_SCOPE));
  const parts: ScopeMetrics[][] = [];
  let current: ScopeMetrics[] = [];
  let size = base;
  let whole = true;
  const flush = (): void => {
    if (current.length) parts.push(current);
    current = [];
    size = base;
  };
  for (const sm of scopes) {
    const own = scopeBytes(sm);
    for (const metric of sm.metrics) {
      const head = own + metricBytes(metric);
      const points = metric.dataPoints as DataPoint<unknown>[];
      let start = 0;
      let piece = head;
      for (let i = 0; i < points.length; i++) {
        const p = pointBytes(points[i]!);
        if (size + piece + p > maxBytes && (i > start || current.length > 0)) {
          if (i > start) add(current, sm, metric, points.slice(start, i));
          whole = false;
          flush();
          start = i;
          piece = head;
        }
        piece += p;
      }
      add(current, sm, metric, start === 0 ? points : points.slice(start));
      size += piece;
    }
  }
  if (whole) return [batch];
  flush();
  return parts.map((scopeMetrics) => ({ resource: batch.resource, scopeMetrics }));
}

function add(scopes: ScopeMetrics[], sm: ScopeMetrics, metric: MetricData, points: DataPoint<unknown>[]): void {
  const piece = points === metric.dataPoints ? metric : ({ ...metric, dataPoints: points } as MetricData);
  const last = scopes.at(-1);
  if (last && last.scope === sm.scope) last.metrics.push(piece);
  else scopes.push({ scope: sm.scope, metrics: [piece] });
}
