import type { IncomingHttpHeaders } from 'node:http';
import { Budget, OutOfTime } from './budget';

/** One request a live check makes. */
export interface ProbeRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** PEM trust and client identity for https. */
  ca?: Buffer; key?: Buffer; cert?: Buffer;
  /** https only: accept any certificate (identifying a listener, not judging its TLS). */
  insecure?: boolean;
  /** Longest this request may take, ms, when less than the budget left; default the budget. */
  capMillis?: number;
  /** Most body bytes kept; default 4 MiB. */
  maxBodyBytes?: number;
}

/** The answer, or why there was none. */
export type ProbeResult =
  | { ok: true; status: number; headers: IncomingHttpHeaders; body: Buffer; millis: number }
  /** `code`: `timeout`, `not_http` (bytes that are not an HTTP answer), or the socket error code. */
  | { ok: false; code: string; message: string; millis: number };

/**
 * One HTTP(S) request bounded by the destination's budget; never rejects. The doctor's own
 * requests carry the pipeline's user-agent, so its HTTP producer does not count them either.
 */
export async function httpProbe(url: string, r: ProbeRequest, budget: Budget): Promise<ProbeResult> {
  const started = Date.now();
  const u = new URL(url);
  const mod = (u.protocol === 'https:' ? require('node:https') : require('node:http')) as typeof import('node:https');
  const controller = new AbortController();
  let request: import('node:http').ClientRequest | undefined;
  const work = new Promise<ProbeResult>((resolve, reject) => {
    const req = request = mod.request(u, {
      method: r.method ?? 'GET',
      headers: { 'user-agent': 'otel-metrics-pipeline-doctor', ...r.headers },
      ca: r.ca, key: r.key, cert: r.cert,
      rejectUnauthorized: !r.insecure,
      agent: false,
      signal: controller.signal,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const limit = r.maxBodyBytes ?? 4 * 1024 * 1024;
      res.on('data', (d: Buffer) => { if (size < limit) { chunks.push(d); size += d.length; } });
      res.on('end', () => resolve({ ok: true, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), millis: Date.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
  try {
    return await budget.race(work, r.capMillis);
  } catch (err) {
    controller.abort();
    // After a parse error the socket stays open unless destroyed: a non-HTTP peer would wait on it.
    request?.socket?.destroy();
    request?.destroy();
    const millis = Date.now() - started;
    if (err instanceof OutOfTime) return { ok: false, code: 'timeout', message: err.message, millis };
    const e = err as NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] };
    const code = e.code ?? e.errors?.find((x) => x.code)?.code ?? 'error';
    // llhttp's parse errors (HPE_*): something answered, but not in HTTP.
    return { ok: false, code: code.startsWith('HPE_') ? 'not_http' : code, message: e.message, millis };
  }
}
