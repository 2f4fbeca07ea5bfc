import { DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { stripControls } from './foreign-text';
import { redact } from './redact';
import { stderrWrite } from './safe-write';

const PREFIX = 'otel-metrics-pipeline:';

/** Map of `OTEL_LOG_LEVEL` values (lower-cased) to levels; default `info`. */
export const LOG_LEVELS: Readonly<Record<string, DiagLogLevel>> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/** Writes one line of ours on stderr: prefixed, one line whatever it carries, credentials masked. Never throws. */
export function writeLine(text: string): void {
  // One line per message whatever it carries (OpenSSL's messages end in "\nSSL alert number
  // 116"), with any credential that slipped into it masked. stderr writes must never throw into
  // the host app (EPIPE on a closed pipe, for one).
  // Escape sequences and control characters are stripped: a line never drives the terminal.
  stderrWrite(`${PREFIX} ${redact.text(stripControls(text)).replace(/\s*[\r\n]+\s*/g, ' ').trim()}\n`);
}

function render(message: string, args: unknown[]): string {
  const parts = [unwrapStringified(message)];
  for (const arg of args) {
    parts.push(arg instanceof Error ? arg.message : typeof arg === 'string' ? arg : safeJson(arg));
  }
  return parts.join(' ').replace(/\s*\n\s*/g, ' ');
}

// Upstream's error handler passes errors as JSON of {stack, message}: keep the message, drop the stack.
function unwrapStringified(message: string): string {
  if (!message.startsWith('{')) return message;
  try {
    const parsed = JSON.parse(message) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : message;
  } catch {
    return message;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Our own one-line-per-message stderr logger; upstream's DiagConsoleLogger prints objects over many lines. */
export const stderrLogger: DiagLogger = {
  error: (m, ...a) => writeLine(render(m, a)),
  warn: (m, ...a) => writeLine(render(m, a)),
  info: (m, ...a) => writeLine(render(m, a)),
  debug: (m, ...a) => writeLine(render(m, a)),
  verbose: (m, ...a) => writeLine(render(m, a)),
};
