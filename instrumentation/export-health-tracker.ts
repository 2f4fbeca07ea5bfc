import type { ExporterHealth } from './health-report';

/** The parts of a delivery chain's DeliveryStats (src/delivery-stats.ts) health reads. */
export interface DeliveryStatsLike {
  readonly name: string;
  queueSize: number;
  queueCapacity: number;
  readonly droppedPoints: number;
  onAttempt: (seconds: number, errorType: string | undefined) => void;
}

/**
 * Follows one exporter's attempts (chaining its stats' `onAttempt`, so self-metrics still see
 * them) and returns a function giving its ExporterHealth. The pipeline passes one per push
 * exporter to setExportHealthSource: `setExportHealthSource(() => trackers.map((t) => t()))`.
 */
export function trackExportHealth(stats: DeliveryStatsLike): () => ExporterHealth {
  let lastSuccessAt: number | undefined;
  let lastFailureAt: number | undefined;
  let lastErrorType: string | undefined;
  let consecutiveFailures = 0;
  const previous = stats.onAttempt;
  stats.onAttempt = (seconds, errorType) => {
    if (errorType === undefined) {
      lastSuccessAt = Date.now();
      consecutiveFailures = 0;
    } else {
      consecutiveFailures++;
      lastFailureAt = Date.now();
      lastErrorType = errorType;
    }
    previous.call(stats, seconds, errorType);
  };
  return () => ({
    name: stats.name,
    lastSuccessAt,
    lastFailureAt,
    lastErrorType,
    consecutiveFailures,
    queueSize: stats.queueSize,
    queueCapacity: stats.queueCapacity,
    droppedPoints: stats.droppedPoints,
  });
}
