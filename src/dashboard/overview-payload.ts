import type { MetricStore } from './metric-store';
import { pipelineHealth } from './pipeline-health';

/** What the page's side panels show: senders, the metric list, the bounds and what they dropped, pipeline health. */
export function overviewPayload(store: MetricStore, now: number): object {
  const services = new Map<string, object[]>();
  for (const i of store.instances.values()) {
    const list = services.get(i.service) ?? [];
    list.push({ instance: i.instance, details: i.details, lastSeen: i.lastSeen, exports: i.exports });
    services.set(i.service, list);
  }
  const metrics = [...store.metrics.values()]
    .map((m) => ({ name: m.name, unit: m.unit, description: m.description, kind: m.kind, monotonic: m.monotonic, temporality: m.temporality, series: m.series.size, services: [...m.services], droppedSeries: m.droppedSeries }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    now,
    services: [...services].map(([name, instances]) => ({ name, instances })).sort((a, b) => a.name.localeCompare(b.name)),
    metrics,
    seriesCount: store.seriesCount,
    limits: store.limits,
    dropped: store.dropped,
    health: pipelineHealth(store),
  };
}
