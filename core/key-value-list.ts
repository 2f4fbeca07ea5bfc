/** Outcome of parsing a `key=value,key=value` list such as `OTEL_EXPORTER_OTLP_HEADERS`. */
export interface KeyValueList {
  /** Decoded pairs; a later duplicate key wins. */
  values: Record<string, string>;
  /** 1-based entry number of each key in `values`, so a later check can name the entry, not the text. */
  positions: Record<string, number>;
  /** One phrase per rejected entry. Never contains a value: headers carry secrets. */
  problems: string[];
}

/**
 * Parses the W3C-baggage-like list the spec uses for OTLP headers and resource attributes,
 * percent-decoding keys and values.
 * https://opentelemetry.io/docs/specs/otel/protocol/exporter/#specifying-headers-via-environment-variables
 */
export function parseKeyValueList(raw: string): KeyValueList {
  const values: Record<string, string> = {};
  const positions: Record<string, number> = {};
  const problems: string[] = [];
  const entries = raw.split(',');
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    if (entry.trim() === '') {
      if (entries.length > 1) problems.push(`${where} is empty`);
      return;
    }
    const eq = entry.indexOf('=');
    if (eq < 0) {
      problems.push(`${where} has no "="`);
      return;
    }
    const key = decode(entry.slice(0, eq).trim());
    const value = decode(entry.slice(eq + 1).trim());
    if (key === undefined || value === undefined) {
      problems.push(`${where} is not valid percent-encoding`);
    } else if (key === '') {
      problems.push(`${where} has an empty key`);
    } else {
      values[key] = value;
      positions[key] = index + 1;
    }
  });
  return { values, positions, problems };
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
