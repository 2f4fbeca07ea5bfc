import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { escapeKey } from './line-protocol-escape';
import { formatDecimal } from './format-number';

// Tag keys InfluxDB refuses: 1.x rejects `time` ("invalid tag key"), 2.x reserves `_measurement`
// and `_field` for its own columns. They get a `_` appended rather than costing the point.
const RESERVED_TAG_KEYS = new Set(['time', '_measurement', '_field']);

/**
 * An attribute value as a tag value, as InfluxData's converter writes it: strings as they are,
 * numbers in decimal notation, booleans as `true`/`false`, arrays as JSON; null and undefined
 * give the empty string (the tag is then left out).
 */
export function tagValueOf(value: AttributeValue | undefined | null): string {
  switch (typeof value) {
    case 'string': return value;
    case 'number': return formatDecimal(value);
    case 'boolean': return value ? 'true' : 'false';
    case 'undefined': return '';
    default: return value === null ? '' : JSON.stringify(value);
  }
}

/**
 * The escaped, sorted tag set `,k=v,k=v` for one stream. `attributes` come first; `overrides`
 * (resource and scope tags) replace attributes of the same key, as in InfluxData's converter.
 * Empty keys and empty values are left out: an empty tag value is a parse error in InfluxDB.
 */
export function buildTagSet(attributes: Attributes, overrides: ReadonlyMap<string, string>): string {
  const tags = new Map<string, string>();
  for (const key in attributes) tags.set(key, tagValueOf(attributes[key]));
  for (const [key, value] of overrides) tags.set(key, value);
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of tags) {
    if (key === '' || value === '') continue;
    pairs.push([RESERVED_TAG_KEYS.has(key) ? `${key}_` : key, value]);
  }
  pairs.sort((a, b) => compareBytes(a[0], b[0]));
  let out = '';
  for (const [key, value] of pairs) out += `,${escapeKey(key)}=${escapeKey(value)}`;
  return out;
}

/** Orders strings by their UTF-8 bytes, as InfluxDB (Go's bytes.Compare) sorts tag keys. */
export function compareBytes(a: string, b: string): number {
  // UTF-16 order equals UTF-8 byte order except around surrogates; compare bytes only then.
  if (/[\ud800-\uffff]/.test(a) || /[\ud800-\uffff]/.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}
