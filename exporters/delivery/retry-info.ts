/**
 * Reads the retry delay from a gRPC `grpc-status-details-bin` trailer: a serialized
 * google.rpc.Status whose `details` may hold a google.rpc.RetryInfo. A few dozen bytes of
 * protobuf, decoded by hand so the hot path needs no schema library.
 * https://github.com/googleapis/googleapis/blob/master/google/rpc/error_details.proto
 */
export function retryDelayFromStatusDetails(bytes: Uint8Array): number | undefined {
  try {
    for (const status of fields(bytes)) {
      if (status.field !== 3 || !status.bytes) continue; // Status.details (Any)
      let typeUrl = '';
      let value: Uint8Array | undefined;
      for (const any of fields(status.bytes)) {
        if (any.field === 1 && any.bytes) typeUrl = Buffer.from(any.bytes).toString('utf8');
        if (any.field === 2 && any.bytes) value = any.bytes;
      }
      if (!typeUrl.endsWith('google.rpc.RetryInfo') || !value) continue;
      for (const info of fields(value)) {
        if (info.field !== 1 || !info.bytes) continue; // RetryInfo.retry_delay (Duration)
        let seconds = 0;
        let nanos = 0;
        for (const d of fields(info.bytes)) {
          if (d.field === 1) seconds = Number(d.varint ?? 0);
          if (d.field === 2) nanos = Number(d.varint ?? 0);
        }
        return seconds * 1000 + Math.round(nanos / 1e6);
      }
      return 0;
    }
  } catch {
    /* malformed details: no hint */
  }
  return undefined;
}

interface Field {
  field: number;
  varint?: bigint;
  bytes?: Uint8Array;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    switch (key & 7) {
      case 0: yield { field, varint: varint() }; break;
      case 1: pos += 8; break;
      case 2: {
        const len = Number(varint());
        if (pos + len > buf.length) throw new Error('truncated field');
        yield { field, bytes: buf.subarray(pos, pos + len) };
        pos += len;
        break;
      }
      case 5: pos += 4; break;
      default: throw new Error('unsupported wire type');
    }
  }
}
