// Number formats for line protocol. Floats use JavaScript's shortest round-trip form, which
// InfluxDB parses exactly (exponents included: 1e+21, 5e-324). Names and tag values built from
// numbers use plain decimal notation, as Go's strconv.FormatFloat(v, 'f', -1, 64) does in
// InfluxData's OpenTelemetry converter, so bucket bounds read `0.0000001`, never `1e-7`.

/** A finite float as a field value with full round-trip precision. */
export function formatFloat(value: number): string {
  return String(value);
}

/** An integer field value with the `i` suffix; integers beyond 2^53 are written exactly as the double holds them. */
export function formatInteger(value: number): string {
  return Number.isSafeInteger(value) ? `${value}i` : `${BigInt(Math.trunc(value))}i`;
}

/** A number in plain decimal notation with the shortest round-trip digits (no exponent). */
export function formatDecimal(value: number): string {
  const text = String(value);
  const e = text.indexOf('e');
  if (e < 0) return text;
  const sign = value < 0 ? '-' : '';
  const [whole, fraction = ''] = text.slice(sign.length, e).split('.');
  const digits = whole + fraction;
  const point = whole.length + Number(text.slice(e + 1));
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
