import type { MetricData, ResourceMetrics, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { estimateBytes } from './batch-size';

/** The scope of the pipeline's own metrics; sent first when a batch is split, so it is never the casualty. */
const OWN_SCOPE = 'otel-metrics-pipeline';

/**
 * Splits a batch whose estimated size exceeds `maxBytes` into batches of whole streams (data
 * points keep their metric and scope), each under `maxBytes` where one stream allows it. The
 * pipeline's own scope goes first. Pure: the input is not changed.
 */
export function splitBatch(batch: ResourceMetrics, maxBytes: number): ResourceMetrics[] {
  if (estimateBytes(batch) <= maxBytes) return [batch];
  const scopes = [...batch.scopeMetrics].sort((a, b) => Number(b.scope.name === OWN_SCOPE) - Number(a.scope.name === OWN_SCOPE));
  const parts: ResourceMetrics[] = [];
  let current: ScopeMetrics[] = [];
  let size = 0;
  const flush = (): void => {
    if (current.length) parts.push({ resource: batch.resource, scopeMetrics: current });
    current = [];
    size = 0;
  };
  for (const sm of scopes) {
    for (const metric of sm.metrics) {
      // Points of one metric are split too, so a single huge metric still fits.
      for (let i = 0; i < metric.dataPoints.length;) {
        const room = maxBytes - size;
        const { piece, taken, bytes } = takePoints(batch, sm, metric, i, room, size === 0);
        if (taken === 0) {
          flush();
          continue;
        }
        addMetric(current, sm, piece);
        size += bytes;
        i += taken;
      }
    }
  }
  flush();
  return parts;
}

// As many points of `metric` from `start` as fit in `room`; at least one when `mustTake`.
function takePoints(batch: ResourceMetrics, sm: ScopeMetrics, metric: MetricData, start: number, room: number, mustTake: boolean): { piece: MetricData; taken: number; bytes: number } {
  const one = (points: MetricData['dataPoints']): number =>
    estimateBytes({ resource: batch.resource, scopeMetrics: [{ scope: sm.scope, metrics: [{ ...metric, dataPoints: points } as MetricData] }] });
  let end = metric.dataPoints.length;
  // Halve until the slice fits; the estimate is linear in the points, so this ends quickly.
  while (end > start && one(metric.dataPoints.slice(start, end)) > room) {
    if (end - start === 1) {
      if (mustTake) break;
      return { piece: metric, taken: 0, bytes: 0 };
    }
    end = start + Math.ceil((end - start) / 2);
  }
  const points = metric.dataPoints.slice(start, end);
  return { piece: { ...metric, dataPoints: points } as MetricData, taken: end - start, bytes: one(points) };
}

function addMetric(scopes: ScopeMetrics[], sm: ScopeMetrics, metric: MetricData): void {
  const last = scopes.at(-1);
  if (last && last.scope === sm.scope) last.metrics.push(metric);
  else scopes.push({ scope: sm.scope, metrics: [metric] });
}
