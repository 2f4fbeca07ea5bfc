// Escaping per the line-protocol reference, plus the renames that keep a line parseable where
// escaping cannot: https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/#special-characters
//
// Line protocol has no escape for a backslash: `\` before an escapable character (or at the
// end of the element) always escapes the next byte, so `C:\` followed by `,` would swallow the
// separator. Such a backslash gets `_` after it (`C:\` → `C:\_`); Telegraf drops these instead,
// which would merge distinct series. Newlines end a line, so CR and LF become spaces.

const MEASUREMENT_SPECIAL = /[, \\\n\r]/;
const KEY_SPECIAL = /[, =\\\n\r]/;
const STRING_SPECIAL = /["\\]/;
// Backslashes and line breaks need the character-by-character path; the rest a plain replace.
const HARD = /[\\\n\r]/;

/** Escapes a measurement name: comma and space. A name starting with `#` (a comment line in 1.x) gets a `_` in front. */
export function escapeMeasurement(name: string): string {
  const safe = name.charCodeAt(0) === 0x23 /* # */ ? `_${name}` : name;
  if (!MEASUREMENT_SPECIAL.test(safe)) return safe;
  return HARD.test(safe) ? escapeSlow(safe, false) : safe.replace(/[, ]/g, '\\$&');
}

/** Escapes a tag key, tag value or field key: comma, `=` and space. */
export function escapeKey(text: string): string {
  if (!KEY_SPECIAL.test(text)) return text;
  return HARD.test(text) ? escapeSlow(text, true) : text.replace(/[, =]/g, '\\$&');
}

/** Escapes a string field value (without its quotes): `"` and `\`. */
export function escapeStringValue(text: string): string {
  return STRING_SPECIAL.test(text) ? text.replace(/["\\]/g, '\\$&') : text;
}

function escapeSlow(text: string, equalsToo: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text[i];
    if (c === '\n' || c === '\r') c = ' ';
    if (c === ',' || c === ' ' || (equalsToo && c === '=')) {
      out += '\\' + c;
    } else if (c === '\\') {
      const next = text[i + 1];
      const escapesNext = next === undefined || next === ',' || next === ' ' || next === '\n' || next === '\r' || (equalsToo && next === '=');
      out += escapesNext ? '\\_' : '\\';
    } else {
      out += c;
    }
  }
  return out;
}
