import type * as grpcTypes from '@grpc/grpc-js';
import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import { ExportError } from './export-error';
import { retryDelayFromStatusDetails } from './grpc-status-details';
import { reportPartialSuccess, type OtlpTransportOptions } from './otlp-transport-options';

const PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

/**
 * OTLP/gRPC transport over @grpc/grpc-js with raw bytes. It never retries; it reports the
 * status code and any google.rpc.RetryInfo so the retry decorator can follow the OTLP spec:
 * https://opentelemetry.io/docs/specs/otlp/#failures
 */
export function createOtlpGrpcTransport(options: OtlpTransportOptions): IExporterTransport {
  const grpc = require('@grpc/grpc-js') as typeof grpcTypes;
  const { status: Status } = grpc;
  // Spec: retryable codes; RESOURCE_EXHAUSTED only when the server sends RetryInfo.
  const RETRYABLE = new Set([Status.CANCELLED, Status.DEADLINE_EXCEEDED, Status.ABORTED, Status.OUT_OF_RANGE, Status.UNAVAILABLE, Status.DATA_LOSS]);
  const url = new URL(options.url);
  const destination = `${url.protocol}//${url.host}`;
  const credentials = url.protocol === 'https:'
    ? grpc.credentials.createSsl(options.ca ?? null, options.key ?? null, options.cert ?? null)
    : grpc.credentials.createInsecure();
  const client = new grpc.Client(url.host, credentials, {
    'grpc.default_compression_algorithm': options.compression === 'gzip' ? 2 : 0,
    'grpc.primary_user_agent': 'otel-metrics-pipeline',
  });
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(options.headers)) metadata.set(k, v);
  const identity = (b: Buffer): Buffer => b;
  const inFlight = new Set<grpcTypes.ClientUnaryCall>();

  return {
    send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
      return new Promise((resolve) => {
        const call = client.makeUnaryRequest(PATH, identity, identity, Buffer.from(data.buffer, data.byteOffset, data.byteLength), metadata.clone(), { deadline: Date.now() + timeoutMillis }, (err, response) => {
          inFlight.delete(call);
          if (!err) {
            reportPartialSuccess(options, response);
            resolve({ status: 'success' });
            return;
          }
          const details = err.metadata?.get('grpc-status-details-bin')[0];
          const retryAfterMillis = details instanceof Buffer ? retryDelayFromStatusDetails(details) : undefined;
          const code = err.code;
          const retryable = RETRYABLE.has(code) || (code === Status.RESOURCE_EXHAUSTED && retryAfterMillis !== undefined);
          const type = Status[code] ?? String(code);
          const error = new ExportError(`gRPC ${type}: ${err.details}`, { destination, retryable, retryAfterMillis, grpcStatus: code, type });
          resolve(retryable ? { status: 'retryable', error, retryInMillis: retryAfterMillis } : { status: 'failure', error });
        });
        inFlight.add(call);
      });
    },
    // Cancels calls still in flight: shutdown happens after the queue stopped waiting for them.
    shutdown(): void {
      for (const call of inFlight) call.cancel();
      client.close();
    },
  };
}
