import { createNoopMeter } from '@opentelemetry/api';
import type { MetricsOptions } from './metrics-options';
import type { MetricsHandle } from './pipeline/metrics-handle';
import { startPipeline } from './pipeline/pipeline';

export type { MetricsHandle } from './pipeline/metrics-handle';

/**
 * Builds the metrics pipeline from code options laid over the `OTEL_*` environment, installs it
 * as the global MeterProvider and hooks exit so the final values are exported. Bad env values
 * warn and fall back; bad code options throw ConfigError. While a pipeline owns the global
 * provider, a second call returns that pipeline's handle (one line says so); after its
 * shutdown, a new call takes the global over cleanly.
 */
export function startMetrics(options: MetricsOptions = {}): MetricsHandle {
  return startPipeline(options)?.handle ?? disabledHandle();
}

function disabledHandle(): MetricsHandle {
  const meter = createNoopMeter();
  return {
    meterProvider: { getMeter: () => meter },
    forceFlush: async () => {},
    shutdown: async () => true,
  };
}
