/**
 * Parses an HTTP Retry-After value, either delta-seconds or an HTTP-date, into ms from `now`.
 * Returns undefined when absent or unparseable; a date in the past means "now" (0).
 * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
