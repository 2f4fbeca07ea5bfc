/** Methods semconv knows (RFC 9110, PATCH and QUERY); anything else is reported as `_OTHER`. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

/** The `http.request.method` value: the method if known (case-sensitive, per semconv), else `_OTHER`. */
export function normalizeMethod(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : '_OTHER';
}

/** Marks the pipeline's own requests and servers so the HTTP producer never counts them. */
export const INTERNAL_HTTP = Symbol.for('otel-metrics-pipeline.internal');

/** User-agent prefix the shared HTTP sender sends; requests carrying it are never counted. */
export const INTERNAL_USER_AGENT_PREFIX = 'otel-metrics-pipeline';

/** True when `userAgent` marks one of the pipeline's own requests. */
export function isInternalUserAgent(userAgent: unknown): boolean {
  if (Array.isArray(userAgent)) userAgent = userAgent[0];
  return typeof userAgent === 'string' && userAgent.startsWith(INTERNAL_USER_AGENT_PREFIX);
}

/** The user-agent in undici's request headers (a flat [name, value, …] array, or a raw header block). */
export function undiciUserAgent(headers: unknown): string | undefined {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === 'user-agent') return String(headers[i + 1]);
    }
    return undefined;
  }
  if (typeof headers === 'string') {
    const match = /^user-agent:\s*(.*)$/im.exec(headers);
    return match?.[1]?.trim();
  }
  return undefined;
}

/** semconv http.*.request.duration bucket boundaries, seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
