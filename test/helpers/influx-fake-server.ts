import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
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
  /** Over TLS: whether the client presented a certificate the CA signed. */
  clientAuthorized?: boolean;
}

/** TLS for the fake: its key and certificate, and a CA to require client certificates from. */
export interface FakeTls {
  key: Buffer;
  cert: Buffer;
  ca?: Buffer;
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

  static async start(tls?: FakeTls): Promise<InfluxFakeServer> {
    let fake: InfluxFakeServer | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const gzip = req.headers['content-encoding'] === 'gzip';
        const body = (gzip ? gunzipSync(raw) : raw).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://fake');
        const write: FakeWrite = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, gzip, body, lines: body.split('\n').filter((l) => l !== '') };
        if (tls) write.clientAuthorized = (req.socket as TLSSocket).authorized;
        fake!.writes.push(write);
        const answer = fake!.answer(write, fake!.writes.length - 1);
        res.writeHead(answer.status, answer.headers ?? (answer.body ? { 'content-type': 'application/json' } : {}));
        res.end(answer.body ?? '');
      });
    };
    const server = tls
      ? createTlsServer({ key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: tls.ca !== undefined, rejectUnauthorized: tls.ca !== undefined }, handler)
      : createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    fake = new InfluxFakeServer(server, `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return fake;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
