import type { IncomingHttpHeaders } from 'node:http';
import type { ExportErrorDetails } from '../delivery/export-error';
import { foreignText } from '../../core/foreign-text';
import { parseRetryAfter } from '../http/retry-after';
import type { InfluxApi } from './influx-options';

/** A failed write, classified; the sender adds the destination. */
export type InfluxFailure = Omit<ExportErrorDetails, 'destination'> & { message: string };

/** What an InfluxDB write answer means for the exporter. */
export type InfluxVerdict =
  | { kind: 'ok' }
  /** 413: the body was too large; send it again in halves. */
  | { kind: 'split' }
  | { kind: 'failed'; details: InfluxFailure };

const AUTH_HINT: Record<InfluxApi, string> = {
  v1: 'check OTEL_EXPORTER_INFLUXDB_USERNAME/PASSWORD (or TOKEN)',
  v2: 'check OTEL_EXPORTER_INFLUXDB_TOKEN and its write permission on the bucket',
  v3: 'check OTEL_EXPORTER_INFLUXDB_TOKEN and its write permission on the database',
};

/**
 * Classifies an InfluxDB write answer. 204 is success (v3: any 2xx); 400/422 partial writes,
 * 401/403, 404 and 500 "retention policy not found" are permanent; 413 asks for a split;
 * 429, 503 and other 5xx are retryable after Retry-After. Messages quote the server's first
 * error, never a credential; the auth message also names the endpoint (`destination`).
 */
export function classifyInfluxResponse(api: InfluxApi, status: number, headers: IncomingHttpHeaders, body: Buffer, destination: string, lines: number): InfluxVerdict {
  if (status === 204 || (api === 'v3' && status >= 200 && status < 300)) return { kind: 'ok' };
  if (status === 413) return { kind: 'split' };
  const { message, dropped } = readError(body);
  const failed = (text: string, retryable: boolean, type: string, retryAfterMillis?: number): InfluxVerdict =>
    ({ kind: 'failed', details: { message: text, retryable, type, httpStatus: status, retryAfterMillis } });
  if (status >= 200 && status < 300) {
    return failed(`unexpected HTTP ${status} (InfluxDB answers a write with 204); is this an InfluxDB ${api} endpoint?`, false, String(status));
  }
  if (status === 400 || status === 422) {
    const count = dropped ?? (/partial write/i.test(message) ? 'some' : 'all');
    return failed(`InfluxDB rejected ${count} of ${lines} line(s) (HTTP ${status}), not retried; first error: ${message || 'none given'}`, false, /partial write/i.test(message) ? 'partial_write' : String(status));
  }
  if (status === 401 || status === 403) {
    return failed(`authentication failed at ${destination} (HTTP ${status}${message ? `: ${message}` : ''}); ${AUTH_HINT[api]}; not retried`, false, String(status));
  }
  if (status === 404) {
    return failed(`not found (HTTP 404${message ? `: ${message}` : ''}); create the ${api === 'v2' ? 'bucket' : 'database'} or fix the configured name; not retried`, false, '404');
  }
  if (status === 500 && /retention policy not found/i.test(message)) {
    return failed(`${message} (HTTP 500); create it or fix OTEL_EXPORTER_INFLUXDB_RETENTION_POLICY; not retried`, false, 'retention_policy_not_found');
  }
  if (status === 429 || status >= 500) {
    const header = headers['retry-after'];
    const after = parseRetryAfter(Array.isArray(header) ? header[0] : header);
    return failed(`HTTP ${status}${message ? `: ${message}` : ''}`, true, String(status), after);
  }
  return failed(`HTTP ${status}${message ? `: ${message}` : ''}, not retried`, false, String(status));
}

/** The first error message in a 1.x (`error`), 2.x (`message`) or 3.x (`data[].error_message`) body, and the dropped count. */
function readError(body: Buffer): { message: string; dropped?: number } {
  const text = body.toString('utf8', 0, Math.min(body.length, 64 * 1024)).trim();
  let parsed: { error?: unknown; message?: unknown; data?: unknown } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return { message: oneLine(text) };
  }
  const data = Array.isArray(parsed?.data) ? (parsed!.data as Array<{ error_message?: unknown; line_number?: unknown }>) : undefined;
  const first = data?.[0];
  const detail = first && typeof first.error_message === 'string'
    ? `${first.error_message}${first.line_number !== undefined ? ` (line ${String(first.line_number)})` : ''}`
    : undefined;
  const top = typeof parsed?.message === 'string' ? parsed.message : typeof parsed?.error === 'string' ? parsed.error : '';
  const message = oneLine(detail ? `${top ? `${top}: ` : ''}${detail}` : top);
  const match = /dropped=(\d+)/.exec(message);
  return { message, dropped: match ? Number(match[1]) : data?.length };
}

// The server's words are data: cut, and stripped of control characters (see foreignText).
const oneLine = (text: string): string => foreignText(text);
