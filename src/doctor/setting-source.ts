import type { Setting } from './doctor-report';
import type { EnvRead } from './read-config';

/**
 * Where a setting came from: `code` when a code option set it, else the first of `vars` (in the
 * order the reader tries them: signal-specific, then generic) that the reader found set, else
 * `default`. `merged` settings (headers) name every variable that contributed.
 */
export function settingSource(
  reads: readonly EnvRead[],
  vars: readonly string[],
  problems: readonly string[],
  fromCode = false,
  merged = false,
): Pick<Setting, 'source' | 'sourceKind' | 'note'> {
  if (fromCode) return { source: 'code', sourceKind: 'code' };
  const set = vars.filter((v) => reads.some((r) => r.name === v && r.value !== undefined));
  if (set.length === 0) return { source: 'default', sourceKind: 'default' };
  const winner = set[0]!;
  const index = vars.indexOf(winner);
  const twins = vars.length === 2 && vars[0]!.includes('_METRICS_') && !vars[1]!.includes('_METRICS_');
  const sourceKind = twins ? (index === 0 ? 'specific' : 'generic') : 'env';
  const invalid = set.some((v) => problems.some((p) => mentions(p, v)));
  const source = merged ? [...set].reverse().join(' + ') : winner;
  return { source, sourceKind, ...(invalid ? { note: 'see the problems' } : {}) };
}

// A problem names a variable as `NAME=`, `invalid NAME` or `NAME ` (never as part of a longer name).
function mentions(problem: string, variable: string): boolean {
  return new RegExp(`(^|[^A-Z_])${variable}([^A-Z_]|$)`).test(problem);
}
