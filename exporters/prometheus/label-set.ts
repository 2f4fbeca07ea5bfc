import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { LabelNamer } from './label-namer';
import { escapeLabelValue } from './escape-label-value';

/** Non-string attribute values become strings as the OTel attribute spec says (arrays as JSON). */
export function attributeString(value: AttributeValue | undefined): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

/**
 * Renders `attributes` as `a="1",b="2"` (no braces). Keys that collide after sanitizing are
 * joined with `;` in the order of their original keys, as the spec requires. Keys in
 * `reserved` (`le`, the scope labels) are left out: the exporter's own label must win.
 */
export function formatLabels(attributes: Attributes, namer: LabelNamer, reserved: ReadonlySet<string>): string {
  let out = '';
  let names: string[] | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    const name = namer.name(key);
    if (name === null || reserved.has(name)) continue;
    if (names === undefined) names = [name];
    else if (names.includes(name)) return formatColliding(attributes, namer, reserved);
    else names.push(name);
    const text = typeof value === 'string' ? value : attributeString(value);
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(text)}"`;
  }
  return out;
}

function formatColliding(attributes: Attributes, namer: LabelNamer, reserved: ReadonlySet<string>): string {
  const groups = new Map<string, Array<[string, string]>>();
  for (const key of Object.keys(attributes).sort()) {
    const value = attributes[key];
    const name = namer.name(key);
    if (value === undefined || name === null || reserved.has(name)) continue;
    const group = groups.get(name) ?? [];
    group.push([key, attributeString(value)]);
    groups.set(name, group);
  }
  let out = '';
  for (const [name, group] of groups) {
    const joined = group.map(([, v]) => v).join(';');
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(joined)}"`;
  }
  return out;
}
