import { HeatmapBins } from './heatmap-bins';
import { quantile } from './histogram-math';
import { describeResource, type InstanceEntry } from './instance-entry';
import { DISTRIBUTION_COLUMNS, type MetricEntry, type MetricKind, type Series } from './metric-entry';
import { SeriesRing } from './series-ring';
import { DEFAULT_LIMITS, type StoreLimits } from './store-limits';

/** What a metric says about itself, as it arrives. */
export interface MetricMeta {
  name: string;
  unit: string;
  description: string;
  kind: MetricKind;
  monotonic: boolean;
  temporality: MetricEntry['temporality'];
}

/** What the store dropped to stay inside its bounds, shown on the page. */
export interface DropCounts {
  /** Points overwritten while still inside the window (points-per-series bound). */
  points: number;
  /** Series dropped at the series-per-metric bound. */
  seriesPerMetric: number;
  /** Series dropped at the total-series bound. */
  series: number;
}

/**
 * Everything the dashboard holds: metrics by name, their series in ring buffers, and the
 * senders (instances). Bounded by {@link StoreLimits}; past a bound the oldest goes.
 */
export class MetricStore {
  readonly limits: StoreLimits;
  readonly metrics = new Map<string, MetricEntry>();
  readonly instances = new Map<string, InstanceEntry>();
  readonly dropped: DropCounts = { points: 0, seriesPerMetric: 0, series: 0 };
  /** Bumped when metrics, series or instances come or go (not on every point). */
  version = 0;
  // Insertion order is creation order, so the first entry is the oldest series.
  private readonly allSeries = new Set<Series>();
  private nextId = 1;
  private readonly values = new Float64Array(DISTRIBUTION_COLUMNS.length);
  // The metric and sender of the previous point: a request's points come metric by metric, so
  // most lookups skip the metric map and the key building (the bench's hot spot).
  private cached: { meta: MetricMeta; instance: InstanceEntry; metric: MetricEntry; bucket: Map<string, Series> } | undefined;

  constructor(limits: Partial<StoreLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Series held over all metrics. */
  get seriesCount(): number {
    return this.allSeries.size;
  }

  /** Notes one export from the sender with these resource attributes; returns its key. */
  touchInstance(attrs: Map<string, string>, now: number): InstanceEntry {
    const described = describeResource(attrs);
    let entry = this.instances.get(described.key);
    if (!entry) {
      entry = { ...described, lastSeen: now, exports: 0 };
      this.instances.set(entry.key, entry);
      this.version++;
    }
    entry.lastSeen = now;
    entry.exports++;
    return entry;
  }

  /** The series of `meta` for this sender and attribute key, made if new (which may drop the oldest). */
  seriesFor(meta: MetricMeta, instance: InstanceEntry, attrKey: string, now: number): Series {
    return this.series(meta, instance, attrKey, columnsOf(meta.kind), now);
  }

  /**
   * The series last seen at each data point position of `meta` from this sender: SDKs send a
   * metric's points in the same order every export, so ingest can check a candidate's attributes
   * instead of building and hashing a key per point.
   */
  positions(meta: MetricMeta, instance: InstanceEntry): Array<Series | undefined> {
    const metric = this.metric(meta, columnsOf(meta.kind));
    let list = metric.positions.get(instance.key);
    if (!list) metric.positions.set(instance.key, (list = []));
    return list;
  }

  /** Records a sum or gauge point. `delta` sums are added to a running total. */
  recordNumber(meta: MetricMeta, instance: InstanceEntry, attrKey: string, time: number, value: number, now: number): void {
    this.recordNumberIn(this.seriesFor(meta, instance, attrKey, now), meta, time, value, now);
  }

  /** {@link recordNumber} into a series already found. */
  recordNumberIn(series: Series, meta: MetricMeta, time: number, value: number, now: number): void {
    if (meta.kind === 'sum' && meta.temporality === 'delta') {
      series.total += value;
      value = series.total;
    }
    this.values[0] = value;
    this.push(series, time, now);
  }

  /** Records an explicit-bucket histogram point (cumulative points become intervals here). */
  recordHistogram(meta: MetricMeta, instance: InstanceEntry, attrKey: string, time: number, start: number, count: number, sum: number, bounds: number[], counts: number[], now: number, min?: number, max?: number): void {
    this.recordHistogramIn(this.seriesFor(meta, instance, attrKey, now), meta, time, start, count, sum, bounds, counts, now, min, max);
  }

  /** {@link recordHistogram} into a series already found. */
  recordHistogramIn(series: Series, meta: MetricMeta, time: number, start: number, count: number, sum: number, bounds: number[], counts: number[], now: number, min?: number, max?: number): void {
    let interval = counts;
    let intervalCount = count;
    let intervalSum = sum;
    if (meta.temporality === 'cumulative') {
      const prev = series.previous;
      if (prev && prev.start === start && prev.counts.length === counts.length && count >= prev.count) {
        interval = counts.map((c, i) => c - prev.counts[i]!);
        intervalCount = count - prev.count;
        intervalSum = sum - prev.sum;
        // min/max of a cumulative point cover its whole life, not this interval.
        min = max = undefined;
      }
      series.previous = { start, counts, count, sum };
    }
    const entry = series.metric;
    if (!entry.heatmap) entry.heatmap = new HeatmapBins(bounds);
    if (intervalCount > 0) entry.heatmap.add(time, bounds, interval);
    const v = this.values;
    v[0] = intervalCount;
    v[1] = intervalSum;
    v[2] = quantile(0.5, bounds, interval, min, max);
    v[3] = quantile(0.9, bounds, interval, min, max);
    v[4] = quantile(0.99, bounds, interval, min, max);
    this.push(series, time, now);
  }

  /** Records a summary point with the quantiles it carries. */
  recordSummary(meta: MetricMeta, instance: InstanceEntry, attrKey: string, time: number, count: number, sum: number, quantiles: Map<number, number>, now: number): void {
    this.recordSummaryIn(this.seriesFor(meta, instance, attrKey, now), time, count, sum, quantiles, now);
  }

  /** {@link recordSummary} into a series already found. */
  recordSummaryIn(series: Series, time: number, count: number, sum: number, quantiles: Map<number, number>, now: number): void {
    const v = this.values;
    v[0] = count;
    v[1] = sum;
    v[2] = quantiles.get(0.5) ?? NaN;
    v[3] = quantiles.get(0.9) ?? NaN;
    v[4] = quantiles.get(0.99) ?? NaN;
    this.push(series, time, now);
  }

  /** Drops series silent for the whole window, and metrics and instances left empty. */
  expire(now: number): void {
    const cutoff = now - this.limits.windowMillis;
    for (const s of this.allSeries) if (s.lastSeen < cutoff) this.remove(s);
    for (const [name, m] of this.metrics) {
      for (const [key, bucket] of m.byInstance) if (bucket.size === 0) { m.byInstance.delete(key); m.positions.delete(key); }
      if (m.series.size === 0) { this.metrics.delete(name); this.version++; }
    }
    this.cached = undefined;
    for (const [key, i] of this.instances) if (i.lastSeen < cutoff) { this.instances.delete(key); this.version++; }
  }

  private push(series: Series, time: number, now: number): void {
    const overwritten = series.ring.push(time, this.values);
    if (overwritten !== undefined && overwritten >= now - this.limits.windowMillis) this.dropped.points++;
    series.lastSeen = now;
    series.metric.version++;
  }

  private series(meta: MetricMeta, instance: InstanceEntry, attrKey: string, columns: number, now: number): Series {
    let c = this.cached;
    if (!c || c.meta !== meta || c.instance !== instance) {
      const metric = this.metric(meta, columns);
      metric.services.add(instance.service);
      let bucket = metric.byInstance.get(instance.key);
      if (!bucket) metric.byInstance.set(instance.key, (bucket = new Map()));
      c = this.cached = { meta, instance, metric, bucket };
    }
    let series = c.bucket.get(attrKey);
    if (series) return series;
    const { metric, bucket } = c;
    const key = `${instance.key}\u0002${attrKey}`;
    if (metric.series.size >= this.limits.maxSeriesPerMetric) {
      this.remove(metric.series.values().next().value!);
      metric.droppedSeries++;
      this.dropped.seriesPerMetric++;
    }
    if (this.allSeries.size >= this.limits.maxSeries) {
      this.remove(this.allSeries.values().next().value!);
      this.dropped.series++;
    }
    const label = [instance.service, instance.instance, attrKey].filter(Boolean).join(' · ');
    series = { id: this.nextId++, metric, key, attrKey, label, instanceKey: instance.key, ring: new SeriesRing(this.limits.maxPointsPerSeries, columns), lastSeen: now, total: 0 };
    metric.series.set(key, series);
    bucket.set(attrKey, series);
    this.allSeries.add(series);
    this.version++;
    return series;
  }

  private metric(meta: MetricMeta, columns: number): MetricEntry {
    let metric = this.metrics.get(meta.name);
    // A name re-sent with another kind starts over: its old rings have the wrong columns.
    if (metric && columnsOf(metric.kind) !== columns) {
      for (const s of [...metric.series.values()]) this.remove(s);
      this.metrics.delete(meta.name);
      this.cached = undefined;
      metric = undefined;
    }
    if (!metric) {
      metric = { ...meta, series: new Map(), byInstance: new Map(), positions: new Map(), services: new Set(), droppedSeries: 0, version: 0 };
      this.metrics.set(meta.name, metric);
      this.version++;
    } else if (metric.unit !== meta.unit || metric.description !== meta.description || metric.kind !== meta.kind) {
      Object.assign(metric, { unit: meta.unit, description: meta.description, kind: meta.kind, monotonic: meta.monotonic, temporality: meta.temporality });
      this.version++;
    }
    return metric;
  }

  private remove(series: Series): void {
    series.removed = true;
    series.metric.series.delete(series.key);
    series.metric.byInstance.get(series.instanceKey)?.delete(series.attrKey);
    series.metric.version++;
    this.allSeries.delete(series);
    this.version++;
  }
}

function columnsOf(kind: MetricKind): number {
  return kind === 'sum' || kind === 'gauge' ? 1 : DISTRIBUTION_COLUMNS.length;
}
