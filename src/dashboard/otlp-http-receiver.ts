import * as http from 'node:http';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { OtlpDecoder, OtlpMessage } from './otlp-decoder';

const gunzipAsync = promisify(gunzip);
/** Largest request body taken, compressed or not, in bytes (the Collector's default is 20 MiB). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * OTLP/HTTP metrics on POST /v1/metrics: protobuf (`application/x-protobuf`) and JSON
 * (`application/json`), gzip or not, answered in the request's encoding as the spec says
 * (https://opentelemetry.io/docs/specs/otlp/#otlphttp). Decoded requests go to `onRequest`.
 */
export function createOtlpHttpReceiver(decoder: OtlpDecoder, onRequest: (request: OtlpMessage) => void): http.Server {
  const okProtobuf = Buffer.from(decoder.successProtobuf());
  return http.createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/v1/metrics') return reply(res, 404, 'text/plain', 'OTLP metrics go to /v1/metrics\n');
    if (req.method !== 'POST') return reply(res, 405, 'text/plain', 'POST only\n');
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const json = type === 'application/json';
    if (!json && type !== 'application/x-protobuf') return reply(res, 415, 'text/plain', 'application/x-protobuf or application/json\n');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reply(res, 413, 'text/plain', 'too large\n');
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const encoding = (req.headers['content-encoding'] ?? '').toLowerCase();
      (encoding === 'gzip' ? gunzipAsync(body) : Promise.resolve(body)).then(
        (raw) => {
          let request: OtlpMessage;
          try {
            request = json ? decoder.decodeJson(raw.toString('utf8')) : decoder.decodeProtobuf(raw);
          } catch (err) {
            return reply(res, 400, 'text/plain', `cannot decode the request: ${(err as Error).message}\n`);
          }
          onRequest(request);
          if (json) reply(res, 200, 'application/json', '{}');
          else reply(res, 200, 'application/x-protobuf', okProtobuf);
        },
        () => reply(res, 400, 'text/plain', 'bad gzip body\n'),
      );
    });
    req.on('error', () => res.destroy());
  });
}

function reply(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
