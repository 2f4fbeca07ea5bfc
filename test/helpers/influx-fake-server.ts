import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request as the fake saw it. */
export interface FakeWrite {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** True when the body arrived gzip-encoded. */
  gzip: boolean;
  /** The line protocol, decompressed. */
  body: string;
  lines: string[];
}

/** An answer to script. */
export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A loopback stand-in for InfluxDB 2.x/3.x write endpoints (those servers are not installable
 * here): records every request and answers 204, or what `answer` returns for it.
 */
export class InfluxFakeServer {
  readonly writes: FakeWrite[] = [];
  /** Decides the answer to each request; default 204. */
  answer: (write: FakeWrite, index: number) => FakeAnswer = () => ({ status: 204 });

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<InfluxFakeServer> {
    let fake: InfluxFakeServer | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const gzip = req.headers['content-encoding'] === 'gzip';
        const body = (gzip ? gunzipSync(raw) : raw).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://fake');
        const write: FakeWrite = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, gzip, body, lines: body.split('\n').filter((l) => l !== '') };
        fake!.writes.push(write);
        const answer = fake!.answer(write, fake!.writes.length - 1);
        res.writeHead(answer.status, answer.headers ?? (answer.body ? { 'content-type': 'application/json' } : {}));
        res.end(answer.body ?? '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    fake = new InfluxFakeServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return fake;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
