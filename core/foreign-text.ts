/** How many characters of another party's text a line quotes at most. */
export const FOREIGN_TEXT_LIMIT = 300;

// ANSI escape sequences (CSI, OSC and two-character ones) as a whole, then what is left of the C0
// and C1 controls, and the bidirectional overrides that make a line read other than it is.
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-_])/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text a collector or server sent (a partial-success message, a response body, an InfluxDB
 * error), made fit to quote in one of our lines: never trusted to be short or printable, so
 * escape sequences and control characters are removed, whitespace runs become one space, and
 * it is cut to `limit` characters with an ellipsis.
 */
export function foreignText(value: unknown, limit = FOREIGN_TEXT_LIMIT): string {
  const raw = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  // Cut before the regexes too, so a 50 MB body costs no more than a short one.
  const head = raw.length > limit * 4 ? raw.slice(0, limit * 4) : raw;
  const flat = head.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  return flat.length > limit || raw.length > head.length ? `${flat.slice(0, limit)}…` : flat;
}

/** `text` without escape sequences and control characters (newlines and tabs kept): the net diag casts over every line. */
export function stripControls(text: string): string {
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text) ? text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '') : text;
}
