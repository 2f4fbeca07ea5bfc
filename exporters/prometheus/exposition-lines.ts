import type { HrTime } from '@opentelemetry/api';
import { escapeLabelValue } from './escape-label-value';
import { isLegacyName } from './metric-namer';

/** How a sample name opens a line: bare when legal, inside the braces when quoted (UTF-8). */
export interface SampleHead {
  /** Before the labels: `name{` or `{"name",`. */
  open: string;
  /** A line without labels: `name` or `{"name"}`. */
  bare: string;
  /** The name in `# HELP`/`# TYPE`/`# UNIT`. */
  meta: string;
}

/** The heads of `name`, computed once per family rather than per line. */
export function heads(name: string): SampleHead {
  if (isLegacyName(name)) return { open: `${name}{`, bare: name, meta: name };
  const quoted = `"${escapeLabelValue(name)}"`;
  return { open: `{${quoted},`, bare: `{${quoted}}`, meta: quoted };
}

/** One sample line; `labels` is `a="1",b="2"` or ''. */
export function line(h: SampleHead, labels: string, value: string): string {
  return labels === '' ? `${h.bare} ${value}\n` : `${h.open}${labels}} ${value}\n`;
}

/** A sample value: shortest round-trip decimal, `+Inf`, `-Inf` or `NaN`. */
export function num(v: number): string {
  if (Number.isFinite(v)) return String(v);
  return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
}

/** An OpenMetrics `_created` value: seconds since the epoch. */
export function seconds(t: HrTime): string {
  return String(t[0] + t[1] / 1e9);
}

/** `# HELP` text: backslash and newline escaped, and in OpenMetrics also double quotes. */
export function escapeHelp(help: string, om: boolean): string {
  return help.replace(om ? /[\\\n"]/g : /[\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}
