import type * as net from 'node:net';
import { Budget, OutOfTime } from './budget';
import type { Check } from './doctor-report';
import { describeTlsError } from './tls-meaning';

/** What the first bytes of an answer say the server speaks. */
export type Spoken = 'http1' | 'h2' | 'tls' | 'closed' | 'silent' | 'unknown';

// The HTTP/2 connection preface and an empty SETTINGS frame: what a gRPC client sends first.
const H2_PREFACE = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);

/** Classifies the first bytes a server sent back. */
export function classifyAnswer(bytes: Buffer): Spoken {
  if (bytes.length === 0) return 'closed';
  if (bytes.subarray(0, 7).toString('latin1') === 'HTTP/1.') return 'http1';
  // A TLS record: alert (21) or handshake (22), version 3.x.
  if ((bytes[0] === 0x15 || bytes[0] === 0x16) && bytes[1] === 0x03) return 'tls';
  // An HTTP/2 frame header: 24-bit length, type SETTINGS (4) or GOAWAY (7), on stream 0.
  if (bytes.length >= 9 && (bytes[3] === 4 || bytes[3] === 7) && bytes.readUInt32BE(5) === 0) return 'h2';
  return 'unknown';
}

/**
 * Sends what the configured protocol sends first (an HTTP/1.1 request, or the HTTP/2 preface for
 * gRPC) and names what answers: the classic mistakes are OTLP/HTTP sent to the gRPC port
 * (4317 answers in HTTP/2 frames) and gRPC sent to the HTTP port (4318 answers `HTTP/1.1 400`).
 */
export async function probeProtocol(socket: net.Socket, expect: 'http1' | 'h2', host: string, path: string, budget: Budget): Promise<Check> {
  const started = Date.now();
  const chunks: Buffer[] = [];
  let error: NodeJS.ErrnoException | undefined;
  const answered = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (Buffer.concat(chunks).length >= 16) resolve();
    });
    socket.once('end', resolve);
    socket.once('close', resolve);
    socket.on('error', (err: NodeJS.ErrnoException) => { error = err; resolve(); });
  });
  socket.write(expect === 'h2' ? H2_PREFACE : `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: otel-metrics-pipeline-doctor\r\nConnection: close\r\n\r\n`);
  let timedOut = false;
  // A server may wait for more before it answers; some silence is an answer too. The cap
  // leaves most of the budget to the test export, the step that matters most.
  await budget.race(answered, Math.min(2000, budget.remaining() * 0.4)).catch((err: unknown) => { timedOut = err instanceof OutOfTime; });
  socket.destroy();
  const bytes = Buffer.concat(chunks);
  const millis = Date.now() - started;
  if (error && bytes.length === 0) {
    const code = error.code ?? 'error';
    return { name: 'protocol', status: 'fail', detail: `the connection failed (${code}): ${describeTlsError(code, error.message)}`, millis, data: { spoken: 'error', error: code } };
  }
  const spoken = timedOut && bytes.length === 0 ? 'silent' : classifyAnswer(bytes);
  const firstLine = spoken === 'http1' ? bytes.toString('latin1').split('\r\n')[0] : undefined;
  const data = { expected: expect, spoken, ...(firstLine ? { firstLine } : {}) };
  if (spoken === expect) {
    const what = expect === 'h2' ? 'speaks HTTP/2, as gRPC needs' : `speaks HTTP/1.1 (${firstLine})`;
    return { name: 'protocol', status: 'ok', detail: what, millis, data };
  }
  return { name: 'protocol', status: 'fail', detail: mismatch(expect, spoken, firstLine), millis, data };
}

function mismatch(expect: 'http1' | 'h2', spoken: Spoken, firstLine: string | undefined): string {
  if (expect === 'http1' && spoken === 'h2') {
    return 'HTTP sent to a gRPC port: the server answers in HTTP/2 frames only, like an OTLP/gRPC receiver (usually 4317); set OTEL_EXPORTER_OTLP_PROTOCOL=grpc, or use the OTLP/HTTP port (usually 4318)';
  }
  if (expect === 'h2' && spoken === 'http1') {
    return `gRPC sent to an HTTP port: the server answers HTTP/1.1 (${firstLine}), like an OTLP/HTTP receiver (usually 4318); set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, or use the OTLP/gRPC port (usually 4317)`;
  }
  if (spoken === 'tls') return 'the server speaks TLS on this port: use https:// in the endpoint';
  if (spoken === 'closed') return 'the server closed the connection without an answer: not an OTLP receiver, or it rejects this protocol';
  if (spoken === 'silent') return 'the server accepted the connection but said nothing: not an OTLP receiver for this protocol?';
  return `the server answered with something that is neither HTTP/1.1 nor HTTP/2 (${spoken})`;
}
