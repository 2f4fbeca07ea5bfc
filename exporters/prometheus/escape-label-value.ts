const NEEDS_ESCAPE = /[\\"\n]/;

/** A label value with `\`, `"` and newlines escaped, as both text formats require. */
export function escapeLabelValue(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\"\n]/g, escapeChar) : value;
}

function escapeChar(c: string): string {
  return c === '\n' ? '\\n' : `\\${c}`;
}
