/**
 * Prints a line at most once per `intervalMillis` per key, adding how many were held back.
 * Keeps a dead collector from flooding stderr with one line per batch. Its holder owns it (see
 * `Log.limited`): nothing is shared between two pipelines or two exporters.
 */
export class RateLimitedLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly intervalMillis = 60_000, private readonly write: (line: string) => void) {}

  /** Counts `key` as just reported (by someone else), so the next line for it waits a full interval. */
  mark(key: string, now = Date.now()): void {
    this.last.set(key, { at: now, suppressed: 0 });
  }

  /** Prints `line` unless a line with the same key was printed less than an interval ago. */
  log(key: string, line: string, now = Date.now()): void {
    const seen = this.last.get(key);
    if (seen && now - seen.at < this.intervalMillis) {
      seen.suppressed++;
      return;
    }
    const suffix = seen?.suppressed ? ` (${seen.suppressed} more like this since the last report)` : '';
    this.last.set(key, { at: now, suppressed: 0 });
    this.write(line + suffix);
  }
}
