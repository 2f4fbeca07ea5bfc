import { join } from 'node:path';
import * as protobuf from 'protobufjs';

// The schema is ours, written from the OTLP spec (one file, shared with the dashboard, which
// ships it); the exporter's own encoder is never used to decode.
const root = protobuf.loadSync(join(__dirname, '../../../src/dashboard/otlp-metrics.proto'));
const Request = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
const Response = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse');

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: false, oneofs: true, arrays: true };

/** A decoded ExportMetricsServiceRequest as a plain object with camelCase fields. */
export type DecodedRequest = { resourceMetrics?: Array<Record<string, any>> };

/** Decodes OTLP protobuf bytes. */
export function decodeProtobuf(bytes: Uint8Array): DecodedRequest {
  return Request.toObject(Request.decode(bytes), TO_OBJECT) as DecodedRequest;
}

/** Decodes OTLP JSON (lowerCamelCase keys, int64 as strings, enums as numbers) into the same shape. */
export function decodeJson(text: string): DecodedRequest {
  const json = JSON.parse(text);
  const err = Request.verify(Request.fromObject(json));
  if (err) throw new Error(`invalid OTLP JSON: ${err}`);
  return Request.toObject(Request.fromObject(json), TO_OBJECT) as DecodedRequest;
}

const rpc = protobuf.loadSync(join(__dirname, '../../../test/helpers/rpc-status.proto'));

/** A `grpc-status-details-bin` value: google.rpc.Status carrying a RetryInfo of `delayMs`. */
export function encodeRetryInfoStatus(code: number, delayMs: number): Buffer {
  const RetryInfo = rpc.lookupType('google.rpc.RetryInfo');
  const Status = rpc.lookupType('google.rpc.Status');
  const info = RetryInfo.encode(RetryInfo.fromObject({ retryDelay: { seconds: Math.floor(delayMs / 1000), nanos: (delayMs % 1000) * 1e6 } })).finish();
  return Buffer.from(Status.encode(Status.fromObject({ code, message: 'slow down', details: [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: info }] })).finish());
}

/** Encodes an ExportMetricsServiceResponse, optionally with partial success. */
export function encodeResponse(partial?: { rejectedDataPoints: number; errorMessage: string }): Uint8Array {
  return Response.encode(Response.fromObject(partial ? { partialSuccess: partial } : {})).finish();
}

/** One data point flattened out of a request, for assertions. */
export interface Point {
  metric: string;
  unit: string;
  kind: 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';
  temporality?: string;
  monotonic?: boolean;
  attributes: Record<string, unknown>;
  value?: number;
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: number[];
  bounds?: number[];
  resource: Record<string, unknown>;
}

/** Flattens every data point of a decoded request. */
export function points(request: DecodedRequest): Point[] {
  const out: Point[] = [];
  for (const rm of request.resourceMetrics ?? []) {
    const resource = attributes(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const kind = m.data as Point['kind'];
        const body = m[kind];
        for (const dp of body.dataPoints ?? []) {
          out.push({
            metric: m.name,
            unit: m.unit ?? '',
            kind,
            temporality: body.aggregationTemporality,
            monotonic: body.isMonotonic,
            attributes: attributes(dp.attributes),
            value: dp.asDouble ?? dp.asInt,
            count: dp.count,
            sum: dp.sum,
            min: dp.min,
            max: dp.max,
            bucketCounts: dp.bucketCounts ?? dp.positive?.bucketCounts,
            bounds: dp.explicitBounds,
            resource,
          });
        }
      }
    }
  }
  return out;
}

/** Unwraps a list of OTLP KeyValue into a plain object. */
export function attributes(list: Array<{ key: string; value?: Record<string, any> }> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

function anyValue(v: Record<string, any> | undefined): unknown {
  if (!v || !v.value) return undefined;
  const inner = v[v.value];
  if (v.value === 'arrayValue') return (inner.values ?? []).map(anyValue);
  if (v.value === 'kvlistValue') return attributes(inner.values);
  return inner;
}
