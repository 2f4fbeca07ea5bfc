import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type DataPoint, type ExponentialHistogram, type Histogram, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { estimateQuantile, explicitBuckets, exponentialBuckets, type Bucket } from './histogram-quantiles';

const QUANTILES = [0.5, 0.9, 0.99] as const;

/**
 * Renders one line per data point: `name{attr="v"} value unit`, and for histograms
 * `count= sum= min= max= p50= p90= p99=` with quantiles estimated from the buckets.
 * Pure: the console exporter only writes what this returns.
 */
export function serializeConsole(resourceMetrics: ResourceMetrics): string {
  let out = '';
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const { name, unit } = metric.descriptor;
      const suffix = unit ? ` ${unit}` : '';
      for (const point of metric.dataPoints as DataPoint<unknown>[]) {
        const head = `${name}${formatAttributes(point.attributes)}`;
        switch (metric.dataPointType) {
          case DataPointType.HISTOGRAM:
            out += `${head} ${formatHistogram(point.value as Histogram)}${suffix}\n`;
            break;
          case DataPointType.EXPONENTIAL_HISTOGRAM:
            out += `${head} ${formatExponential(point.value as ExponentialHistogram)}${suffix}\n`;
            break;
          default:
            out += `${head} ${formatNumber(point.value as number)}${suffix}\n`;
        }
      }
    }
  }
  return out;
}

function formatAttributes(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}=${JSON.stringify(attributes[k])}`).join(',')}}`;
}

function formatHistogram(h: Histogram): string {
  return formatSummary(h.count, h.sum, h.min, h.max, explicitBuckets(h.buckets.boundaries, h.buckets.counts));
}

function formatExponential(h: ExponentialHistogram): string {
  const buckets = exponentialBuckets(h.scale, h.zeroCount, h.positive, h.negative);
  return formatSummary(h.count, h.sum, h.min, h.max, buckets);
}

function formatSummary(count: number, sum: number | undefined, min: number | undefined, max: number | undefined, buckets: Bucket[]): string {
  const parts = [`count=${count}`];
  if (sum !== undefined) parts.push(`sum=${formatNumber(sum)}`);
  if (count > 0 && min !== undefined) parts.push(`min=${formatNumber(min)}`);
  if (count > 0 && max !== undefined) parts.push(`max=${formatNumber(max)}`);
  for (const q of QUANTILES) {
    const v = estimateQuantile(buckets, q, min, max);
    if (v !== undefined) parts.push(`p${Math.round(q * 100)}=${formatNumber(v)}`);
  }
  return parts.join(' ');
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}
