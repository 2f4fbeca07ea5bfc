import type { ExporterHealth } from './health-report';

/** The parts of a delivery chain's DeliveryStats (src/delivery-stats.ts) health reads. */
export interface DeliveryStatsLike {
  readonly name: string;
  readonly queueSize: number;
  readonly queueCapacity: number;
  readonly droppedPoints: number;
  readonly lastSuccessAt?: number;
  readonly lastFailureAt?: number;
  readonly lastErrorType?: string;
  readonly consecutiveFailures: number;
}

/**
 * One exporter's health now, read from the counters its delivery chain keeps. The pipeline
 * passes all of them to its PipelineHealth: `health.setExportHealthSource(() => stats.map(exportHealthOf))`.
 */
export function exportHealthOf(stats: DeliveryStatsLike): ExporterHealth {
  return {
    name: stats.name,
    lastSuccessAt: stats.lastSuccessAt,
    lastFailureAt: stats.lastFailureAt,
    lastErrorType: stats.lastErrorType,
    consecutiveFailures: stats.consecutiveFailures,
    queueSize: stats.queueSize,
    queueCapacity: stats.queueCapacity,
    droppedPoints: stats.droppedPoints,
  };
}
