/** Thrown from code-level options that are invalid; env values never throw, they warn and fall back. */
export class ConfigError extends Error {
  /** Stable machine-readable code, always `ERR_OTEL_METRICS_CONFIG`. */
  readonly code = 'ERR_OTEL_METRICS_CONFIG';
  override readonly name = 'ConfigError';
}
