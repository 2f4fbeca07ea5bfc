import type { HeatmapBins } from './heatmap-bins';
import type { SeriesRing } from './series-ring';

/** How a metric is drawn: sums and gauges as lines, histograms and summaries as percentiles. */
export type MetricKind = 'sum' | 'gauge' | 'histogram' | 'summary';

/** Value columns of a ring per kind: sums and gauges hold the value, the others these five. */
export const DISTRIBUTION_COLUMNS = ['count', 'sum', 'p50', 'p90', 'p99'] as const;

/** One series: a metric's points for one sender (resource) and one attribute set. */
export interface Series {
  readonly id: number;
  readonly metric: MetricEntry;
  readonly key: string;
  /** The attributes part of the key (`k=v, k=v`). */
  readonly attrKey: string;
  /** Service, instance and attributes, for the legend. */
  readonly label: string;
  readonly instanceKey: string;
  readonly ring: SeriesRing;
  /** Arrival time (ms) of the last point. */
  lastSeen: number;
  /** Running total of a delta sum, so delta and cumulative senders draw the same line. */
  total: number;
  /** Set once the store let it go (a position cache may still hold it). */
  removed?: boolean;
  /** Its attributes as [key, value, key, value, …], to check a position cache hit. */
  attrValues?: string[];
  /** The last cumulative histogram point, to turn the next one into an interval. */
  previous?: { start: number; counts: number[]; count: number; sum: number };
}

/** One metric by name, over every sender that sends it. */
export interface MetricEntry {
  readonly name: string;
  unit: string;
  description: string;
  kind: MetricKind;
  monotonic: boolean;
  temporality: 'delta' | 'cumulative' | 'unspecified';
  /** Every series by sender and attributes, oldest first (eviction takes the first). */
  readonly series: Map<string, Series>;
  /** The same series by sender key, then attributes key: the per-point lookup. */
  readonly byInstance: Map<string, Map<string, Series>>;
  /** By sender key: the series at each data point position of its last export (see MetricStore.positions). */
  readonly positions: Map<string, Array<Series | undefined>>;
  /** Services that sent it, by service.name. */
  readonly services: Set<string>;
  heatmap?: HeatmapBins;
  /** Series of this metric dropped at its per-metric bound. */
  droppedSeries: number;
  /** Bumped on every change, so feeds send only what moved. */
  version: number;
}
