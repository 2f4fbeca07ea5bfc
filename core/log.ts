import { DiagLogLevel } from '@opentelemetry/api';
import { writeLine } from './diag';
import { RateLimitedLog } from './rate-limited-log';

/**
 * Our own lines on stderr at one level (`OTEL_LOG_LEVEL`, default `info`). Each pipeline owns
 * one and hands it down to what it builds, so two pipelines in one process (one after another,
 * or side by side in tests) each print at their own level and hold their own rate limiters.
 * Code outside any pipeline (an exporter built by hand, the doctor) uses {@link defaultLog}.
 */
export class Log {
  constructor(readonly level: DiagLogLevel = DiagLogLevel.INFO, private readonly out: (line: string) => void = writeLine) {}

  // Bound, so they can be handed on as callbacks (`env.warn`, a limiter's writer).
  /** One error line unless the level is `none`. */
  readonly error = (line: string): void => { if (this.level >= DiagLogLevel.ERROR) this.out(line); };
  /** One warning line unless the level is below `warn`. */
  readonly warn = (line: string): void => { if (this.level >= DiagLogLevel.WARN) this.out(line); };
  /** One info line unless the level is below `info`. */
  readonly info = (line: string): void => { if (this.level >= DiagLogLevel.INFO) this.out(line); };
  /** One debug line when the level is `debug` or more verbose. */
  readonly debug = (line: string): void => { if (this.level >= DiagLogLevel.DEBUG) this.out(line); };

  /** A rate limiter of its own for the caller, writing through this log at `at` (default warn). */
  limited(intervalMillis = 60_000, at: 'warn' | 'error' = 'warn'): RateLimitedLog {
    return new RateLimitedLog(intervalMillis, this[at]);
  }
}

/** The log of code that runs outside any pipeline: info level, stderr. Immutable, so sharing it leaks nothing. */
export const defaultLog = new Log();
