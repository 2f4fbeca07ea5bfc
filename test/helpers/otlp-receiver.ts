import * as grpc from '@grpc/grpc-js';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeJson, decodeProtobuf, encodeResponse, encodeRetryInfoStatus, points, type DecodedRequest, type Point } from './otlp-decode';

/** One export as the receiver saw it. */
export interface ReceivedExport {
  transport: 'grpc' | 'http';
  contentType: string;
  compressed: boolean;
  headers: Record<string, string>;
  request: DecodedRequest;
  /** Size of the request body as received (compressed if it was), in bytes. */
  bytes: number;
}

/** TLS material (PEM) for the receiver; `ca` plus `requireClientCert` turns on mTLS. */
export interface ReceiverTls {
  key: Buffer;
  cert: Buffer;
  ca?: Buffer;
  requireClientCert?: boolean;
}

/** How the receiver answers one request; anything unset means a plain success. */
export interface Reply {
  /** HTTP status to answer with instead of 200. */
  httpStatus?: number;
  /** Retry-After header value. */
  retryAfter?: string;
  /** Location header value (with a 3xx `httpStatus`). */
  location?: string;
  /** gRPC status code to fail with. */
  grpcCode?: number;
  /** Attach google.rpc.RetryInfo with this delay to the gRPC failure. */
  retryInfoMillis?: number;
  /** Answer only after this long (the request is still recorded on arrival). */
  delayMs?: number;
  /** OTLP partial success in a successful answer. */
  partialSuccess?: { rejectedDataPoints: number; errorMessage: string };
}

/** Options for {@link OtlpReceiver.start}. */
export interface ReceiverOptions {
  /** Fixed ports, e.g. to come back up where a client expects the receiver. */
  httpPort?: number;
  grpcPort?: number;
  /** Decides the reply to the n-th request (0-based, both transports counted together). */
  reply?: (n: number, transport: 'grpc' | 'http') => Reply | undefined;
  tls?: ReceiverTls;
  /** Headers (gRPC metadata) every request must carry; otherwise 401 / UNAUTHENTICATED. */
  requiredHeaders?: Record<string, string>;
}

const SERVICE_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

/**
 * A real OTLP metrics receiver on 127.0.0.1: HTTP (protobuf and JSON, gzip) on one port and
 * gRPC on another, with optional TLS, mTLS and required headers. Decodes with protobufjs and
 * our own schema.
 */
export class OtlpReceiver {
  readonly exports: ReceivedExport[] = [];
  readonly rejected: string[] = [];
  /** Arrival time of every request, answered or refused. */
  readonly arrivals: number[] = [];
  private waiters: Array<() => void> = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly httpServer: http.Server,
    private readonly grpcServer: grpc.Server,
    private readonly grpcPort: number,
    private readonly options: ReceiverOptions,
  ) {}

  static async start(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
    const grpcServer = new grpc.Server();
    let receiver!: OtlpReceiver;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => receiver.onHttp(req, res);
    const tls = options.tls;
    const httpServer = tls
      ? https.createServer({ key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: !!tls.requireClientCert, rejectUnauthorized: !!tls.requireClientCert }, handler)
      : http.createServer(handler);
    await new Promise<void>((resolve) => httpServer.listen(options.httpPort ?? 0, '127.0.0.1', resolve));
    const credentials = tls
      ? grpc.ServerCredentials.createSsl(tls.ca ?? null, [{ private_key: tls.key, cert_chain: tls.cert }], !!tls.requireClientCert)
      : grpc.ServerCredentials.createInsecure();
    const identity = (b: Buffer) => b;
    grpcServer.addService(
      { Export: { path: SERVICE_PATH, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } },
      { Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => receiver.onGrpc(call, cb) },
    );
    const grpcPort = await new Promise<number>((resolve, reject) =>
      grpcServer.bindAsync(`127.0.0.1:${options.grpcPort ?? 0}`, credentials, (err, port) => (err ? reject(err) : resolve(port))),
    );
    receiver = new OtlpReceiver(httpServer, grpcServer, grpcPort, options);
    return receiver;
  }

  private get scheme(): string {
    return this.options.tls ? 'https' : 'http';
  }

  /** The HTTP port. */
  get httpPort(): number {
    return (this.httpServer.address() as AddressInfo).port;
  }

  /** The gRPC port. */
  get port(): number {
    return this.grpcPort;
  }

  /** Base URL of the HTTP receiver, e.g. `http://127.0.0.1:1234`. */
  get httpBase(): string {
    return `${this.scheme}://127.0.0.1:${(this.httpServer.address() as AddressInfo).port}`;
  }

  /** Full OTLP/HTTP metrics URL. */
  get httpUrl(): string {
    return `${this.httpBase}/v1/metrics`;
  }

  /** gRPC endpoint URL. */
  get grpcUrl(): string {
    return `${this.scheme}://127.0.0.1:${this.grpcPort}`;
  }

  /** Every data point received so far, flattened. */
  points(): Point[] {
    return this.pointsSince(0);
  }

  /** Data points of the exports received after the first `index` ones. */
  pointsSince(index: number): Point[] {
    return this.exports.slice(index).flatMap((e) => points(e.request));
  }

  /** Resolves once `predicate` holds, or rejects after `timeoutMs`. */
  waitFor(predicate: (r: OtlpReceiver) => boolean, timeoutMs = 15_000): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver: condition not met in ${timeoutMs}ms; got ${this.exports.length} exports`)), timeoutMs);
      const check = () => {
        if (predicate(this)) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        }
      };
      this.waiters.push(check);
    });
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.grpcServer.forceShutdown();
    this.httpServer.closeAllConnections();
    await new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
  }

  private missingHeader(headers: Record<string, string>): string | undefined {
    for (const [k, v] of Object.entries(this.options.requiredHeaders ?? {})) {
      if (headers[k.toLowerCase()] !== v) return k;
    }
    return undefined;
  }

  private record(e: ReceivedExport): void {
    this.exports.push(e);
    for (const w of [...this.waiters]) w();
  }

  private later(ms: number | undefined, fn: () => void): void {
    if (!ms) return fn();
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
  }

  private onHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const reply = this.options.reply?.(this.arrivals.length, 'http') ?? {};
    this.arrivals.push(Date.now());
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const missing = this.missingHeader(headers);
      if (req.method !== 'POST' || req.url !== '/v1/metrics') {
        res.writeHead(404).end();
        return;
      }
      if (missing) {
        this.rejected.push(`http: missing header ${missing}`);
        res.writeHead(401).end();
        return;
      }
      try {
        const compressed = headers['content-encoding'] === 'gzip';
        const body = compressed ? gunzipSync(Buffer.concat(chunks)) : Buffer.concat(chunks);
        const contentType = headers['content-type'] ?? '';
        const json = contentType.startsWith('application/json');
        const request = json ? decodeJson(body.toString('utf8')) : lazyDecode(body);
        if (reply.httpStatus && reply.httpStatus >= 300) {
          this.rejected.push(`http: answered ${reply.httpStatus}`);
          const extra: Record<string, string> = reply.retryAfter ? { 'retry-after': reply.retryAfter } : {};
          if (reply.location) extra.location = reply.location;
          this.later(reply.delayMs, () => res.writeHead(reply.httpStatus!, extra).end());
          return;
        }
        this.record(withRequest({ transport: 'http', contentType, compressed, headers, bytes: chunks.reduce((n, c) => n + c.length, 0) }, request));
        const partial = reply.partialSuccess;
        this.later(reply.delayMs, () => {
          if (res.destroyed) return;
          if (json) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(partial ? { partialSuccess: partial } : {}));
          else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.from(encodeResponse(partial)));
        });
      } catch (err) {
        this.rejected.push(`http: ${(err as Error).message}`);
        res.writeHead(400).end();
      }
    });
  }

  private onGrpc(call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>): void {
    const reply = this.options.reply?.(this.arrivals.length, 'grpc') ?? {};
    this.arrivals.push(Date.now());
    if (reply.grpcCode) {
      this.rejected.push(`grpc: answered ${reply.grpcCode}`);
      const metadata = new grpc.Metadata();
      if (reply.retryInfoMillis !== undefined) metadata.set('grpc-status-details-bin', encodeRetryInfoStatus(reply.grpcCode, reply.retryInfoMillis));
      this.later(reply.delayMs, () => cb({ code: reply.grpcCode!, details: 'test receiver says no', metadata }));
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(call.metadata.getMap())) headers[k] = String(v);
    const missing = this.missingHeader(headers);
    if (missing) {
      this.rejected.push(`grpc: missing header ${missing}`);
      cb({ code: grpc.status.UNAUTHENTICATED, details: 'missing header' });
      return;
    }
    try {
      const request = lazyDecode(call.request);
      this.record(withRequest({ transport: 'grpc', contentType: 'application/grpc', compressed: headers['grpc-encoding'] === 'gzip', headers, bytes: call.request.length }, request));
      this.later(reply.delayMs, () => cb(null, Buffer.from(encodeResponse(reply.partialSuccess))));
    } catch (err) {
      cb({ code: grpc.status.INVALID_ARGUMENT, details: (err as Error).message });
    }
  }
}

// A large body (a 100k-point collection) is decoded when a test first reads it, not before the
// answer: a healthy collector answers at once, and protobufjs' decode time is the test's own.
// Small bodies are decoded at once, so a malformed one is still answered 400 / INVALID_ARGUMENT.
function lazyDecode(body: Buffer): () => DecodedRequest {
  if (body.length < 256 * 1024) {
    const decoded = decodeProtobuf(body);
    return () => decoded;
  }
  let decoded: DecodedRequest | undefined;
  return () => (decoded ??= decodeProtobuf(body));
}

function withRequest(e: Omit<ReceivedExport, 'request'>, request: DecodedRequest | (() => DecodedRequest)): ReceivedExport {
  if (typeof request !== 'function') return { ...e, request };
  return Object.defineProperty(e, 'request', { get: request, enumerable: true }) as ReceivedExport;
}
