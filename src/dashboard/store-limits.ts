/**
 * The dashboard's memory bounds. Past each one the oldest goes and the page says how much went.
 * Worst case is about `maxSeries × maxPointsPerSeries × (8 + 8 × columns)` bytes of ring
 * buffers (columns: 1 for sums and gauges, 5 for histograms and summaries), plus the heatmap
 * bins of each histogram metric; rings grow as points come, so a quiet series costs little.
 */
export interface StoreLimits {
  /** Points kept per series (a ring: a new point overwrites the oldest). Default 900 (15 min at 1 s). `--max-points-per-series`. */
  maxPointsPerSeries: number;
  /** Series kept per metric (past it the oldest series of that metric goes). Default 50,000. `--max-series-per-metric`. */
  maxSeriesPerMetric: number;
  /** Series kept over all metrics (past it the oldest series goes). Default 100,000. `--max-series`. */
  maxSeries: number;
  /** How far back the charts reach, in milliseconds; older points and silent series go. Default 15 min. */
  windowMillis: number;
}

/** The defaults of {@link StoreLimits}. */
export const DEFAULT_LIMITS: Readonly<StoreLimits> = {
  maxPointsPerSeries: 900,
  maxSeriesPerMetric: 50_000,
  maxSeries: 100_000,
  windowMillis: 15 * 60_000,
};
