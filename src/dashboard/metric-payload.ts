import { DISTRIBUTION_COLUMNS, type MetricEntry } from './metric-entry';

/** Most series of one metric sent to a page: as many as one chart draws within a frame (see the browser test). */
export const MAX_SERIES_SENT = 2000;

/** A reader's position in one metric: the `written` count of each series it has been sent. */
export type MetricCursor = Map<number, number>;

/**
 * The points of `metric` the reader has not had yet (of its first MAX_SERIES_SENT series) (all of them inside the window on a fresh
 * cursor), the series it had that are gone, and the heatmap. Advances the cursor.
 */
export function metricPayload(metric: MetricEntry, cursor: MetricCursor, since: number): object {
  const fresh = cursor.size === 0;
  const series: object[] = [];
  const live = new Set<number>();
  for (const s of metric.series.values()) {
    if (live.size >= MAX_SERIES_SENT) break;
    live.add(s.id);
    const seen = cursor.get(s.id);
    if (seen === s.ring.written) continue;
    const { t, v } = s.ring.read(seen ?? 0, since);
    cursor.set(s.id, s.ring.written);
    series.push(seen === undefined ? { id: s.id, label: s.label, t, v } : { id: s.id, t, v });
  }
  const removed: number[] = [];
  for (const id of cursor.keys()) if (!live.has(id)) { removed.push(id); cursor.delete(id); }
  return {
    name: metric.name,
    kind: metric.kind,
    unit: metric.unit,
    description: metric.description,
    fresh,
    columns: metric.kind === 'sum' || metric.kind === 'gauge' ? ['value'] : DISTRIBUTION_COLUMNS,
    series,
    removed,
    heatmap: metric.heatmap ? { ...metric.heatmap.read(since), mismatched: metric.heatmap.mismatched } : undefined,
    droppedSeries: metric.droppedSeries,
    seriesTotal: metric.series.size,
  };
}
