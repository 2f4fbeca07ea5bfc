import { join } from 'node:path';
import * as protobuf from 'protobufjs';

/** A decoded OTLP value: a protobufjs message, read by field name (camelCase). */
export type OtlpMessage = Record<string, any>;

/**
 * Decodes OTLP metrics requests with protobufjs and a schema written from the OTLP spec
 * (otlp-metrics.proto beside the sources), never with our exporter's encoder in reverse, so a
 * sender's bug and ours cannot cancel out. Loaded once per dashboard.
 */
export class OtlpDecoder {
  private readonly request: protobuf.Type;
  private readonly response: protobuf.Type;

  constructor() {
    // dist/src/dashboard -> src/dashboard: the .proto ships as a file (package.json `files`).
    const root = protobuf.loadSync(join(__dirname, '../../../src/dashboard/otlp-metrics.proto'));
    dropOneofBookkeeping(root);
    this.request = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
    this.response = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse');
  }

  /** Decodes protobuf bytes; throws on malformed input. */
  decodeProtobuf(bytes: Uint8Array): OtlpMessage {
    return this.request.decode(bytes) as unknown as OtlpMessage;
  }

  /** Decodes OTLP/JSON (lowerCamelCase keys, int64 as strings or numbers); throws on malformed input. */
  decodeJson(text: string): OtlpMessage {
    // fromObject converts int64 strings and enum numbers, and throws on a wrong nested type.
    const message = this.request.fromObject(JSON.parse(text));
    const invalid = this.request.verify(message);
    if (invalid) throw new Error(invalid);
    return message as unknown as OtlpMessage;
  }

  /** An empty ExportMetricsServiceResponse (full success) in protobuf. */
  successProtobuf(): Uint8Array {
    return this.response.encode(this.response.create({})).finish();
  }
}

/** A protobufjs 64-bit field (a number, a Long, or a decimal string from JSON) as a number. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v == null) return 0;
  if (typeof v === 'object' && 'low' in v && 'high' in v) {
    const { low, high, unsigned } = v as { low: number; high: number; unsigned?: boolean };
    return (unsigned ? high >>> 0 : high) * 4294967296 + (low >>> 0);
  }
  return Number(v);
}

/**
 * Gives each member of the schema's oneofs (AnyValue.value, NumberDataPoint.value, Metric.data,
 * Exemplar.value) a oneof of its own, as proto3 `optional` does. The wire format is the same and
 * a member that was sent is still an own property, even when 0 (explicit presence). What goes is
 * the shared oneof's virtual setter, which the decoder calls for every member it reads and which
 * `delete`s each sibling field (11 % of the dashboard's CPU in bench/dashboard.js); a one-member
 * oneof has no sibling to delete. ingest-request.ts reads the member set as the own property.
 */
function dropOneofBookkeeping(ns: protobuf.NamespaceBase): void {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) {
      for (const oneof of [...nested.oneofsArray]) {
        if (oneof.fieldsArray.length < 2) continue;
        const fields = [...oneof.fieldsArray];
        for (const field of fields) oneof.remove(field);
        nested.remove(oneof);
        for (const field of fields) nested.add(new protobuf.OneOf(`_${field.name}`, [field.name]));
      }
    }
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) dropOneofBookkeeping(nested);
  }
}
