import { defaultLog } from './log';
import { redact } from './redact';
import { headerProblem, type HeaderRules } from './header-rules';
import { parseKeyValueList } from './key-value-list';

/** Largest timer delay Node honours (2^31-1 ms); a longer one fires after 1 ms. */
export const MAX_TIMER_MILLIS = 2 ** 31 - 1;

/** Where a warning goes; tests pass their own to collect lines. */
export type WarnFn = (line: string) => void;

/** Told of every variable read and its trimmed value (undefined when unset or blank); the doctor uses it to say where a setting came from. */
export type ReadFn = (name: string, value: string | undefined) => void;

/**
 * Reads typed values from an environment. Every invalid value produces exactly one line naming
 * the variable, the bad value and what is used instead, and never an exception.
 */
export class EnvReader {
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly onWarn: WarnFn = defaultLog.warn,
    // Optional and unset in the preload: one undefined check per read is all it costs there.
    private readonly onRead?: ReadFn,
    // A setting that is allowed but worth knowing about: an info line, not a problem.
    private readonly onInfo: WarnFn = defaultLog.info,
  ) {}

  /** The trimmed value, or undefined when unset or blank (the spec treats empty as unset). Every read goes through here. */
  string(name: string): string | undefined {
    const trimmed = this.env[name]?.trim();
    const value = trimmed === undefined || trimmed === '' ? undefined : trimmed;
    this.onRead?.(name, value);
    return value;
  }

  /** The first of `names` that is set: a signal-specific variable beats the generic one. */
  first(...names: string[]): { name: string; value: string } | undefined {
    for (const name of names) {
      const value = this.string(name);
      if (value !== undefined) return { name, value };
    }
    return undefined;
  }

  /** Spec boolean: only `true` (any case) is true; anything but `false` also warns. */
  bool(name: string, fallback = false): boolean {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower !== 'false') this.invalid(name, value, '"true" or "false"', 'false');
    return false;
  }

  /**
   * A whole number of milliseconds greater than zero (or zero when `allowZero`), written in
   * decimal digits (`0x10` and `1e3` are refused). Values past 2^31-1 ms, which Node's timers
   * would fire after 1 ms, are capped with a line.
   */
  millis(names: string | string[], fallback: number, allowZero = false): number {
    const found = this.first(...[names].flat());
    if (!found) return fallback;
    const n = /^\d+$/.test(found.value) ? Number(found.value) : NaN;
    if (n > MAX_TIMER_MILLIS) {
      this.invalid(found.name, found.value, `at most ${MAX_TIMER_MILLIS} milliseconds`, String(MAX_TIMER_MILLIS));
      return MAX_TIMER_MILLIS;
    }
    if (Number.isInteger(n) && (n > 0 || (allowZero && n === 0))) return n;
    const expected = allowZero ? 'a whole number of milliseconds >= 0' : 'a whole number of milliseconds > 0';
    this.invalid(found.name, found.value, expected, String(fallback));
    return fallback;
  }

  /** A whole number greater than zero (a count or a size). */
  count(name: string, fallback: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (Number.isSafeInteger(n) && n > 0) return n;
    this.invalid(name, value, 'a whole number > 0', String(fallback));
    return fallback;
  }

  /** A TCP port, 1-65535. */
  port(name: string, fallback: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (Number.isInteger(n) && n > 0 && n < 65536) return n;
    this.invalid(name, value, 'a port number 1-65535', String(fallback));
    return fallback;
  }

  /** One of `allowed`, matched case-insensitively, from the first of `names` that is set. */
  oneOf<T extends string>(names: string | string[], allowed: readonly T[], fallback: T): T {
    const found = this.first(...[names].flat());
    if (!found) return fallback;
    const lower = found.value.toLowerCase();
    const match = allowed.find((a) => a === lower);
    if (match) return match;
    this.invalid(found.name, found.value, `one of ${allowed.join(', ')}`, fallback);
    return fallback;
  }

  /** A comma-separated list of trimmed, lower-cased, non-empty items. */
  list(name: string): string[] | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    return value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== '');
  }

  /**
   * Headers merged key by key over `names` in increasing precedence. Bad entries, and entries
   * HTTP would refuse, are skipped with a line that names the variable and entry, never a value.
   */
  headers(...names: string[]): Record<string, string> {
    return this.headersFor('http', ...names);
  }

  /** {@link EnvReader.headers} under the given transport's rules (`grpc`: HTTP/2 and gRPC metadata). */
  headersFor(rules: HeaderRules, ...names: string[]): Record<string, string> {
    const merged: Record<string, string> = {};
    for (const name of names) {
      const value = this.string(name);
      if (value === undefined) continue;
      const { values, positions, problems } = parseKeyValueList(value);
      for (const problem of problems) {
        this.onWarn(`invalid ${name}: ${problem} (value not shown: headers may hold secrets); skipping that entry, the other entries are used`);
      }
      for (const [k, v] of Object.entries(values)) {
        const problem = headerProblem(k, v, rules);
        if (problem) {
          // The entry by position: a malformed name may be a pasted `Authorization: Bearer …`.
          this.onWarn(`invalid ${name}: entry ${positions[k]} cannot be sent as a header${rules === 'grpc' ? ' over gRPC' : ''}: ${problem} (not shown: headers may hold secrets); skipping that entry, the other entries are used`);
          continue;
        }
        merged[k.toLowerCase()] = v;
      }
    }
    return merged;
  }

  /** Reports one invalid value in the project's single-line format. */
  invalid(name: string, value: string, expected: string, using: string): void {
    // Values can hold credentials (a URL with a password, token=…): masked, whatever the variable.
    this.onWarn(`invalid ${name}=${JSON.stringify(redact.text(value))} (expected ${expected}); using ${using}`);
  }

  /** Says one line about an allowed setting that may surprise (info level; not a problem). */
  note(line: string): void {
    this.onInfo(line);
  }

  /** Reports a free-form problem with a variable in one line. */
  warn(line: string): void {
    this.onWarn(line);
  }
}
