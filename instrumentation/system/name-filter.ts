import type { EnvReader } from '../../core/env-reader';

/** Decides which interfaces, devices or mounts are reported. */
export type NameFilter = (name: string) => boolean;

function toRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * Builds a filter from glob patterns (`*`, `?`); a pattern starting with `!` excludes. A name
 * passes when it matches some include (or there are none) and no exclude.
 */
export function nameFilter(patterns: readonly string[]): NameFilter {
  const include = patterns.filter((p) => !p.startsWith('!')).map(toRegExp);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => toRegExp(p.slice(1)));
  if (include.length === 0 && exclude.length === 0) return () => true;
  return (name) => (include.length === 0 || include.some((r) => r.test(name))) && !exclude.some((r) => r.test(name));
}

/**
 * Patterns from a comma-separated env variable (case kept: interface names are case-sensitive),
 * or `fallback` when unset. A pattern with characters other than name characters and globs warns once and is dropped.
 */
export function patternsFromEnv(env: EnvReader, name: string, fallback: readonly string[]): readonly string[] {
  const value = env.string(name);
  if (value === undefined) return fallback;
  const out: string[] = [];
  for (const raw of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    if (/^!?[\w.:@/*?-]+$/.test(raw)) out.push(raw);
    else env.invalid(name, raw, 'glob patterns of name characters, * and ?, optionally prefixed with !', 'the other patterns');
  }
  return out;
}
