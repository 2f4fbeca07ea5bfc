import * as http2 from 'node:http2';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { OtlpDecoder, OtlpMessage } from './otlp-decoder';
import { MAX_BODY_BYTES } from './otlp-http-receiver';

const gunzipAsync = promisify(gunzip);
const EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';
// https://grpc.github.io/grpc/core/md_doc_statuscodes.html
const UNIMPLEMENTED = 12;
const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;

/**
 * OTLP/gRPC metrics: the one unary method MetricsService/Export, served over node:http2 with
 * the gRPC wire format (a 5-byte prefix: compressed flag and big-endian length, then the
 * message; the status in trailers; https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md).
 * One unary method does not warrant @grpc/grpc-js (4.5 MB, a second protobufjs) at run time;
 * the tests send to it with the real @grpc/grpc-js client through the upstream OTLP exporter.
 */
export function createOtlpGrpcReceiver(decoder: OtlpDecoder, onRequest: (request: OtlpMessage) => void): http2.Http2Server {
  const ok = Buffer.from(decoder.successProtobuf());
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    const type = String(headers['content-type'] ?? '');
    if (!type.startsWith('application/grpc')) {
      stream.respond({ ':status': 415 });
      stream.end();
      return;
    }
    if (headers[':path'] !== EXPORT_PATH) return finish(stream, UNIMPLEMENTED, 'only MetricsService/Export');
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES + 5) {
        finish(stream, RESOURCE_EXHAUSTED, 'message too large');
        chunks.length = 0;
      } else chunks.push(c);
    });
    stream.on('end', () => {
      if (stream.headersSent) return;
      const body = Buffer.concat(chunks);
      if (body.length < 5 || body.readUInt32BE(1) !== body.length - 5) return finish(stream, INVALID_ARGUMENT, 'one length-prefixed message expected');
      const message = body.subarray(5);
      const compressed = body[0] === 1;
      if (compressed && headers['grpc-encoding'] !== 'gzip') return finish(stream, UNIMPLEMENTED, 'gzip is the only compression taken');
      (compressed ? gunzipAsync(message) : Promise.resolve(message)).then(
        (raw) => {
          let request: OtlpMessage;
          try {
            request = decoder.decodeProtobuf(raw);
          } catch (err) {
            return finish(stream, INVALID_ARGUMENT, `cannot decode the request: ${(err as Error).message}`);
          }
          onRequest(request);
          finish(stream, 0, '', ok);
        },
        () => finish(stream, INVALID_ARGUMENT, 'bad gzip message'),
      );
    });
  });
  return server;
}

function finish(stream: http2.ServerHttp2Stream, code: number, message: string, response?: Buffer): void {
  if (stream.headersSent || stream.destroyed) return;
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.once('wantTrailers', () => {
    const trailers: http2.OutgoingHttpHeaders = { 'grpc-status': String(code) };
    if (message) trailers['grpc-message'] = encodeURIComponent(message);
    stream.sendTrailers(trailers);
  });
  if (response) {
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(response.length, 1);
    stream.end(Buffer.concat([prefix, response]));
  } else stream.end();
}
