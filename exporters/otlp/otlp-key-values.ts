import type { ProtoWriter } from './proto-writer';

/**
 * Each own property of `obj` as an OTLP KeyValue in repeated field `field`: attributes (of a
 * resource, scope or point) and an AnyValue's kvlist alike. Values as upstream's serializer
 * writes them: integers in int64 range as int, other numbers as double, Uint8Array as bytes,
 * arrays and objects nested; null and undefined as an empty AnyValue.
 */
export function writeKeyValues(w: ProtoWriter, obj: Record<string, unknown>, field: number): void {
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    w.tag(field, 2);
    const kv = w.begin(1);
    w.tag(1, 2);
    w.string(key);
    w.tag(2, 2);
    const v = w.begin(1);
    anyValue(w, obj[key]);
    w.end(v, 1);
    w.end(kv, 1);
  }
}

function anyValue(w: ProtoWriter, value: unknown): void {
  if (typeof value === 'string') {
    w.tag(1, 2);
    w.string(value);
  } else if (typeof value === 'boolean') {
    w.tag(2, 0);
    w.varint(value ? 1 : 0);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
      w.tag(3, 0);
      w.varint(value);
    } else {
      w.tag(4, 1);
      w.double(value);
    }
  } else if (value instanceof Uint8Array) {
    w.tag(7, 2);
    w.varint(value.length);
    w.raw(value);
  } else if (Array.isArray(value)) {
    w.tag(5, 2);
    const arr = w.begin(1);
    for (const item of value) {
      w.tag(1, 2);
      const one = w.begin(1);
      anyValue(w, item);
      w.end(one, 1);
    }
    w.end(arr, 1);
  } else if (typeof value === 'object' && value !== null) {
    w.tag(6, 2);
    const list = w.begin(1);
    writeKeyValues(w, value as Record<string, unknown>, 1);
    w.end(list, 1);
  }
}
