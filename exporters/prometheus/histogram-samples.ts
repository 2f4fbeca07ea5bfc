import { DataPointType, type DataPoint, type ExponentialHistogram, type Histogram, type MetricData } from '@opentelemetry/sdk-metrics';
import { exponentialToClassic } from './exponential-buckets';
import { heads, line, num, seconds } from './exposition-lines';

/**
 * The `_bucket` (cumulative, ending with `+Inf`), `_count`, `_sum` and, in OpenMetrics,
 * `_created` lines of each histogram point, one string per point. `labelsOf` renders a point's
 * labels (attributes and scope). Explicit boundaries are formatted once per boundary array.
 */
export function* histogramSamples(base: string, metric: MetricData, labelsOf: (p: DataPoint<unknown>) => string, om: boolean): Generator<string> {
  const bucket = heads(`${base}_bucket`);
  const count = heads(`${base}_count`);
  const sum = heads(`${base}_sum`);
  const created = heads(`${base}_created`);
  const exponential = metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM;
  let lastBoundaries: number[] | undefined;
  let les: string[] = [];
  for (const p of metric.dataPoints as DataPoint<unknown>[]) {
    const labels = labelsOf(p);
    const prefix = labels === '' ? `${bucket.open}le="` : `${bucket.open}${labels},le="`;
    let out = '';
    let value: { count: number; sum?: number; min?: number };
    if (exponential) {
      const e = p.value as ExponentialHistogram;
      const { bounds, cumulative } = exponentialToClassic(e);
      for (let i = 0; i < bounds.length; i++) out += `${prefix}${num(bounds[i]!)}"} ${cumulative[i]}\n`;
      value = e;
    } else {
      const h = p.value as Histogram;
      const { boundaries, counts } = h.buckets;
      if (boundaries !== lastBoundaries) {
        les = boundaries.map(num);
        lastBoundaries = boundaries;
      }
      let cumulative = 0;
      for (let i = 0; i < les.length; i++) {
        cumulative += counts[i]!;
        out += `${prefix}${les[i]}"} ${cumulative}\n`;
      }
      value = h;
    }
    out += `${prefix}+Inf"} ${value.count}\n`;
    out += line(count, labels, String(value.count));
    // A sum is a counter only while nothing negative was recorded (OpenMetrics forbids it then).
    if (value.sum !== undefined && !(value.min !== undefined && value.min < 0)) out += line(sum, labels, num(value.sum));
    if (om) out += line(created, labels, seconds(p.startTime));
    yield out;
  }
}
