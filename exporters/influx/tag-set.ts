import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { escapeKey } from './line-protocol-escape';
import { formatDecimal } from './format-number';

// Tag keys InfluxDB refuses: 1.x rejects `time` ("invalid tag key"), 2.x reserves `_measurement`
// and `_field` for its own columns. They get a `_` appended rather than costing the point.
const RESERVED_TAG_KEYS = new Set(['time', '_measurement', '_field']);
const NON_ASCII = /[^\x00-\x7f]/;

/** A tag ready to write: its (renamed) key for sorting and its escaped `,key=value` text. */
type Tag = [key: string, text: string];

/** Tags shared by every stream of a scope (resource and scope tags), escaped once. */
export interface SharedTags {
  keys: ReadonlySet<string>;
  tags: readonly Tag[];
}

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

/** Escapes resource and scope tags once for all the streams that share them. */
export function sharedTags(tags: ReadonlyMap<string, string>): SharedTags {
  const out: Tag[] = [];
  for (const [key, value] of tags) {
    const tag = makeTag(key, value);
    if (tag) out.push(tag);
  }
  return { keys: new Set(tags.keys()), tags: out };
}

/**
 * The escaped, sorted tag set `,k=v,k=v` for one stream. Shared (resource and scope) tags
 * replace attributes of the same key, as in InfluxData's converter. Empty keys and values are
 * left out: an empty tag value is a parse error in InfluxDB. Sorted by key bytes, as InfluxDB
 * (Go's bytes.Compare) sorts them.
 */
export function buildTagSet(attributes: Attributes, shared: SharedTags): string {
  const tags: Tag[] = shared.tags.slice();
  for (const key in attributes) {
    if (shared.keys.has(key)) continue;
    const tag = makeTag(key, tagValueOf(attributes[key]));
    if (tag) tags.push(tag);
  }
  let ascii = true;
  for (const [key] of tags) if (NON_ASCII.test(key)) ascii = false;
  // UTF-16 order equals UTF-8 byte order for ASCII keys; otherwise compare the bytes.
  tags.sort(ascii ? (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) : (a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
  let out = '';
  for (const tag of tags) out += tag[1];
  return out;
}

function makeTag(key: string, value: string): Tag | undefined {
  if (key === '' || value === '') return undefined;
  const name = RESERVED_TAG_KEYS.has(key) ? `${key}_` : key;
  return [name, `,${escapeKey(name)}=${escapeKey(value)}`];
}
