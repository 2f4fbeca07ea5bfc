/** gRPC status codes by number: https://grpc.github.io/grpc/core/md_doc_statuscodes.html */
export const GRPC_STATUS_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
] as const;

/** The numeric code of a gRPC status name. */
export const GrpcStatus = Object.fromEntries(GRPC_STATUS_NAMES.map((name, code) => [name, code])) as Record<(typeof GRPC_STATUS_NAMES)[number], number>;

/**
 * The gRPC status implied by an HTTP status when a response carries no grpc-status (a proxy
 * answered): https://github.com/grpc/grpc/blob/master/doc/http-grpc-status-mapping.md
 */
export function grpcStatusFromHttp(httpStatus: number): number {
  switch (httpStatus) {
    case 400: return GrpcStatus.INTERNAL;
    case 401: return GrpcStatus.UNAUTHENTICATED;
    case 403: return GrpcStatus.PERMISSION_DENIED;
    case 404: return GrpcStatus.UNIMPLEMENTED;
    case 429: case 502: case 503: case 504: return GrpcStatus.UNAVAILABLE;
    default: return GrpcStatus.UNKNOWN;
  }
}
