import type { Attributes, HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { AggregationTemporality, DataPointType, InstrumentType, type DataPoint, type Histogram, type MetricData, type MetricDescriptor } from '@opentelemetry/sdk-metrics';
import type { TemporalityOf } from './direct-source';

/** One attribute set's explicit-bucket histogram since the last collection: the hot path writes here. */
export interface HistogramCell {
  readonly attrs: Attributes;
  readonly counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
  /** Date.now() at the first value since the last collection: the SDK's start time of a new series. */
  first: number;
}

/**
 * Adds `value` to `cell` as the SDK's histogram aggregator does: buckets are upper-inclusive
 * (binarySearchUB), NaN is dropped. No allocation.
 */
export function recordInto(cell: HistogramCell, bounds: readonly number[], value: number): void {
  if (value !== value) return;
  if (cell.count === 0) cell.first = Date.now();
  let i = 0;
  while (i < bounds.length && value > bounds[i]) i++;
  cell.counts[i]++;
  cell.sum += value;
  cell.count++;
  if (value < cell.min) cell.min = value;
  if (value > cell.max) cell.max = value;
}

interface Acc { counts: number[]; sum: number; count: number; min: number; max: number; start: HrTime }
interface View { reader: TemporalityOf; delta: boolean; acc: Map<HistogramCell, Acc>; reported: Set<HistogramCell>; last?: HrTime }

/**
 * Histogram series recorded once and reported to every reader in the temporality it selects,
 * with the SDK's semantics (TemporalMetricProcessor): at each collection the cells' new values
 * are moved into every reader's view; a cumulative reader keeps adding them up, a delta reader
 * reports what came since its last collection and starts again. Start times are the SDK's: a
 * series' first value, or for delta the reader's last collection when it reported the series then.
 */
export class ReaderHistograms {
  private readonly cells: HistogramCell[] = [];
  // Everything since the start: a reader first seen later begins its view from here.
  private readonly total = new Map<HistogramCell, Acc>();
  private readonly views: View[] = [];

  constructor(readonly bounds: readonly number[]) {}

  /** A new series for `attrs`: the caller keeps it and records into it with recordInto. */
  cell(attrs: Attributes): HistogramCell {
    const c: HistogramCell = { attrs, counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0, min: Infinity, max: -Infinity, first: 0 };
    this.cells.push(c);
    return c;
  }

  /** The histogram due to `reader` now (its first call starts its view), or undefined with no point. */
  collect(reader: TemporalityOf, descriptor: MetricDescriptor, now: HrTime = millisToHrTime(Date.now())): MetricData | undefined {
    this.drain();
    let view = this.views.find((v) => v.reader === reader);
    if (!view) {
      const delta = reader.selectAggregationTemporality(InstrumentType.HISTOGRAM) === AggregationTemporality.DELTA;
      this.views.push(view = { reader, delta, acc: copy(this.total), reported: new Set() });
    }
    const points: DataPoint<Histogram>[] = [];
    for (const [cell, a] of view.acc) {
      const startTime = view.delta && view.last !== undefined && view.reported.has(cell) ? view.last : a.start;
      points.push({
        attributes: cell.attrs,
        startTime,
        endTime: now,
        value: { min: a.min, max: a.max, sum: a.sum, buckets: { boundaries: this.bounds as number[], counts: [...a.counts] }, count: a.count },
      });
    }
    if (view.delta) {
      view.reported = new Set(view.acc.keys());
      view.acc.clear();
    }
    view.last = now;
    if (points.length === 0) return undefined;
    return {
      descriptor,
      aggregationTemporality: view.delta ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: points,
    };
  }

  // The cells' values since the last collection go to the total and every view; the cells start again.
  private drain(): void {
    for (const c of this.cells) {
      if (c.count === 0) continue;
      const fresh: Acc = { counts: [...c.counts], sum: c.sum, count: c.count, min: c.min, max: c.max, start: millisToHrTime(c.first) };
      merge(this.total, c, fresh);
      for (const v of this.views) merge(v.acc, c, fresh);
      c.counts.fill(0);
      c.sum = 0;
      c.count = 0;
      c.min = Infinity;
      c.max = -Infinity;
    }
  }
}

function merge(into: Map<HistogramCell, Acc>, cell: HistogramCell, fresh: Acc): void {
  const a = into.get(cell);
  if (!a) {
    into.set(cell, { ...fresh, counts: [...fresh.counts] });
    return;
  }
  for (let i = 0; i < a.counts.length; i++) a.counts[i] += fresh.counts[i];
  a.sum += fresh.sum;
  a.count += fresh.count;
  if (fresh.min < a.min) a.min = fresh.min;
  if (fresh.max > a.max) a.max = fresh.max;
}

function copy(from: Map<HistogramCell, Acc>): Map<HistogramCell, Acc> {
  return new Map([...from].map(([c, a]) => [c, { ...a, counts: [...a.counts] }]));
}
