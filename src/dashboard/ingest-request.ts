import type { MetricKind } from './metric-entry';
import type { MetricMeta, MetricStore } from './metric-store';
import { exponentialToExplicit } from './histogram-math';
import { toNumber, type OtlpMessage } from './otlp-decoder';

const TEMPORALITY = ['unspecified', 'delta', 'cumulative'] as const;

/** Adds every data point of a decoded ExportMetricsServiceRequest to the store; returns the points taken. */
export function ingestRequest(store: MetricStore, request: OtlpMessage, now: number): number {
  let taken = 0;
  for (const rm of request.resourceMetrics ?? []) {
    const instance = store.touchInstance(flatten(rm.resource?.attributes), now);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const kind = kindOf(m);
        if (!kind) continue;
        const body = m[kind === 'histogram' && m.exponentialHistogram ? 'exponentialHistogram' : kind];
        const meta: MetricMeta = {
          name: m.name, unit: m.unit ?? '', description: m.description ?? '', kind,
          monotonic: !!body.isMonotonic, temporality: TEMPORALITY[temporalityIndex(body.aggregationTemporality)] ?? 'unspecified',
        };
        const points: OtlpMessage[] = body.dataPoints ?? [];
        const positions = store.positions(meta, instance);
        for (let i = 0; i < points.length; i++) {
          const dp = points[i]!;
          const time = timeOf(dp.timeUnixNano, now);
          let series = positions[i];
          if (!series || series.removed || !sameAttributes(series.attrValues!, dp.attributes)) {
            series = store.seriesFor(meta, instance, keyOf(dp.attributes), now);
            series.attrValues ??= attributeValues(dp.attributes);
            positions[i] = series;
          }
          if (kind === 'sum' || kind === 'gauge') {
            const value = has(dp, 'asDouble') ? dp.asDouble : has(dp, 'asInt') ? toNumber(dp.asInt) : undefined;
            if (value === undefined) continue;
            store.recordNumberIn(series, meta, time, value, now);
          } else if (kind === 'summary') {
            const q = new Map<number, number>();
            for (const v of dp.quantileValues ?? []) q.set(v.quantile ?? 0, v.value ?? NaN);
            store.recordSummaryIn(series, time, toNumber(dp.count), dp.sum ?? 0, q, now);
          } else {
            const { bounds, counts } = m.exponentialHistogram
              ? exponentialToExplicit(dp.scale ?? 0, dp.positive?.offset ?? 0, (dp.positive?.bucketCounts ?? []).map(toNumber), toNumber(dp.zeroCount))
              : { bounds: dp.explicitBounds ?? [], counts: (dp.bucketCounts ?? []).map(toNumber) };
            store.recordHistogramIn(series, meta, time, toNumber(dp.startTimeUnixNano), toNumber(dp.count), dp.sum ?? 0, bounds, counts, now, dp.min ?? undefined, dp.max ?? undefined);
          }
          taken++;
        }
      }
    }
  }
  return taken;
}

function kindOf(m: OtlpMessage): MetricKind | undefined {
  if (m.sum) return 'sum';
  if (m.gauge) return 'gauge';
  if (m.histogram || m.exponentialHistogram) return 'histogram';
  if (m.summary) return 'summary';
  return undefined;
}

// Decoded messages carry the enum as a number; JSON senders may have sent its name.
function temporalityIndex(v: unknown): number {
  if (typeof v === 'number') return v;
  return v === 'AGGREGATION_TEMPORALITY_DELTA' ? 1 : v === 'AGGREGATION_TEMPORALITY_CUMULATIVE' ? 2 : 0;
}

function timeOf(nanos: unknown, now: number): number {
  const ms = toNumber(nanos) / 1e6;
  return ms > 0 ? ms : now;
}

/** A resource's attributes as strings by key. */
export function flatten(list: OtlpMessage[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const kv of list ?? []) out.set(kv.key, text(kv.value));
  return out;
}

function attributeValues(list: OtlpMessage[] | undefined): string[] {
  const out: string[] = [];
  for (const kv of list ?? []) out.push(kv.key, text(kv.value));
  return out;
}

// Compares without building a string: string values are compared as decoded.
function sameAttributes(values: string[], list: OtlpMessage[] | undefined): boolean {
  const n = list?.length ?? 0;
  if (values.length !== n * 2) return false;
  for (let j = 0; j < n; j++) {
    const kv = list![j]!;
    if (values[2 * j] !== kv.key || values[2 * j + 1] !== text(kv.value)) return false;
  }
  return true;
}

// `k=v, k=v` in the order sent: SDKs send a stable order, and sorting would cost every point.
function keyOf(list: OtlpMessage[] | undefined): string {
  if (!list || list.length === 0) return '';
  let key = '';
  for (let i = 0; i < list.length; i++) key += (i ? ', ' : '') + list[i]!.key + '=' + text(list[i]!.value);
  return key;
}

// Oneof members have non-null defaults on the protobufjs prototype; the member set is an own
// property. (The virtual `value` getter would say the same, but runs Object.keys per call.)
const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const ANY_KINDS = ['stringValue', 'intValue', 'doubleValue', 'boolValue', 'arrayValue', 'kvlistValue', 'bytesValue'] as const;

function text(v: OtlpMessage | undefined): string {
  switch (v && ANY_KINDS.find((k) => has(v, k))) {
    case 'stringValue': return v!.stringValue;
    case 'intValue': return String(toNumber(v!.intValue));
    case 'doubleValue': return String(v!.doubleValue);
    case 'boolValue': return String(v!.boolValue);
    case 'arrayValue': return `[${(v!.arrayValue.values ?? []).map(text).join(',')}]`;
    case 'kvlistValue': return `{${(v!.kvlistValue.values ?? []).map((kv: OtlpMessage) => `${kv.key}=${text(kv.value)}`).join(',')}}`;
    case 'bytesValue': return Buffer.from(v!.bytesValue).toString('base64');
    default: return '';
  }
}
