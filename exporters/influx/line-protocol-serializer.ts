import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { DataPointType, type ExponentialHistogram, type Histogram, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { DEFAULT_RESOURCE_TAGS } from './influx-options';
import { escapeMeasurement } from './line-protocol-escape';
import { boundKeys, exponentialHistogramFields, histogramFields, numberField, type SkipCounter } from './point-fields';
import { formatTimestamp, isZeroTime, type Precision } from './precision';
import { buildTagSet, sharedTags, tagValueOf, type SharedTags } from './tag-set';

/** Settings for {@link createLineProtocolSerializer}. */
export interface LineProtocolOptions {
  /** Timestamp precision of the lines [OTEL_EXPORTER_INFLUXDB_PRECISION]; default `ns`. */
  precision?: Precision;
  /** Resource attributes written as tags, `'*'` for all [OTEL_EXPORTER_INFLUXDB_RESOURCE_TAGS]; default {@link DEFAULT_RESOURCE_TAGS}. */
  resourceTags?: readonly string[] | '*';
}

/** One serialization's lines and what it could not write. */
export interface LineProtocolBatch {
  /** One line per point, without the trailing newline. */
  lines: string[];
  /** Values left out because they were NaN or ±Inf. */
  nonFinite: number;
  /** Points left out entirely (no name, no writable value). */
  droppedPoints: number;
  /** Metric names that had values left out (for one warning per metric). */
  lossyMetrics: Set<string>;
}

/** Serializes a collection into InfluxDB line protocol. */
export type LineProtocolSerializer = (metrics: ResourceMetrics) => LineProtocolBatch;

// Escaped `measurement,tags` per stream, kept across collections: the SDK hands out the same
// attributes object for a stream every time, so escaping and sorting happen once per stream.
interface MetricEntry { prefix: string | undefined; streams: WeakMap<Attributes, string>; bounds?: readonly number[]; keys?: string[] }
interface ScopeEntry { tags: SharedTags; metrics: Map<string, MetricEntry> }
interface ResourceEntry { tags: Map<string, string>; scopes: Map<string, ScopeEntry> }

/**
 * Creates a line-protocol serializer following the telegraf-prometheus v1 schema of InfluxData's
 * OpenTelemetry converter: measurement = metric name, tags = point attributes plus the allowed
 * resource attributes and `otel.library.name`/`otel.library.version`, fields per data type
 * (see point-fields.ts), timestamp = the point's end time at `precision`.
 */
export function createLineProtocolSerializer(options: LineProtocolOptions = {}): LineProtocolSerializer {
  const precision = options.precision ?? 'ns';
  const allowed = options.resourceTags ?? DEFAULT_RESOURCE_TAGS;
  const resources = new WeakMap<Resource, ResourceEntry>();

  const resourceEntry = (resource: Resource): ResourceEntry => {
    let entry = resources.get(resource);
    if (!entry) {
      const tags = new Map<string, string>();
      for (const key of allowed === '*' ? Object.keys(resource.attributes) : allowed) {
        const value = tagValueOf(resource.attributes[key] as Attributes[string]);
        if (value !== '') tags.set(key, value);
      }
      entry = { tags, scopes: new Map() };
      resources.set(resource, entry);
    }
    return entry;
  };

  return (rm) => {
    const batch: LineProtocolBatch = { lines: [], nonFinite: 0, droppedPoints: 0, lossyMetrics: new Set() };
    const resource = resourceEntry(rm.resource);
    let lastTime: HrTime | undefined;
    let lastStamp = '';
    const stamp = (time: HrTime): string => {
      if (time !== lastTime) {
        lastTime = time;
        lastStamp = formatTimestamp(time, precision);
      }
      return lastStamp;
    };
    for (const { scope, metrics } of rm.scopeMetrics) {
      const scopeKey = `${scope.name}\0${scope.version ?? ''}`;
      let scopeEntry = resource.scopes.get(scopeKey);
      if (!scopeEntry) {
        const tags = new Map(resource.tags);
        if (scope.name) tags.set('otel.library.name', scope.name);
        if (scope.version) tags.set('otel.library.version', scope.version);
        scopeEntry = { tags: sharedTags(tags), metrics: new Map() };
        resource.scopes.set(scopeKey, scopeEntry);
      }
      for (const metric of metrics) {
        const name = metric.descriptor.name;
        let entry = scopeEntry.metrics.get(name);
        if (!entry) {
          entry = { prefix: name === '' ? undefined : escapeMeasurement(name), streams: new WeakMap() };
          scopeEntry.metrics.set(name, entry);
        }
        if (entry.prefix === undefined) {
          batch.droppedPoints += metric.dataPoints.length;
          continue;
        }
        const before = batch.nonFinite;
        writeMetric(metric, entry, scopeEntry.tags, batch, stamp);
        if (batch.nonFinite !== before) batch.lossyMetrics.add(name);
      }
    }
    return batch;
  };
}

function writeMetric(metric: MetricData, entry: MetricEntry, tags: SharedTags, batch: LineProtocolBatch, stamp: (t: HrTime) => string): void {
  const skips: SkipCounter = batch;
  const integer = metric.descriptor.valueType === ValueType.INT;
  const key = metric.dataPointType === DataPointType.SUM && metric.isMonotonic ? 'counter' : 'gauge';
  for (const point of metric.dataPoints) {
    let fields: string | undefined;
    switch (metric.dataPointType) {
      case DataPointType.SUM:
      case DataPointType.GAUGE:
        fields = numberField(key, point.value as number, integer, skips);
        break;
      case DataPointType.HISTOGRAM: {
        const h = point.value as Histogram;
        const bounds = h.buckets.boundaries;
        // Every point of a histogram usually shares one boundaries array: format its keys once.
        if (entry.bounds !== bounds) {
          if (!sameNumbers(entry.bounds, bounds)) entry.keys = boundKeys(bounds);
          entry.bounds = bounds;
        }
        fields = histogramFields(h, entry.keys!, skips);
        break;
      }
      case DataPointType.EXPONENTIAL_HISTOGRAM:
        fields = exponentialHistogramFields(point.value as ExponentialHistogram, skips);
        break;
    }
    if (fields === undefined) {
      batch.droppedPoints++;
      continue;
    }
    let prefix = entry.streams.get(point.attributes);
    if (prefix === undefined) {
      prefix = entry.prefix + buildTagSet(point.attributes, tags);
      entry.streams.set(point.attributes, prefix);
    }
    if (!isZeroTime(point.startTime)) fields += `,start_time_unix_nano=${formatTimestamp(point.startTime, 'ns')}i`;
    batch.lines.push(`${prefix} ${fields} ${stamp(point.endTime)}`);
  }
}

function sameNumbers(a: readonly number[] | undefined, b: readonly number[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
