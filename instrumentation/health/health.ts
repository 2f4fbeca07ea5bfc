import { livePipeline } from '../../core/running-pipeline';
import type { ExportHealthSource } from './health-monitor';
import type { HealthReport } from './health-report';
import { PipelineHealth } from './pipeline-health';

// Answers getHealth() while no pipeline runs (before startMetrics, after its shutdown, or with
// setGlobal: false). Lazy: it costs nothing until asked, and holds no pipeline's data.
const standalone = new PipelineHealth();

/**
 * The process's health now: status, CPU, memory, event-loop delay and each exporter's delivery,
 * read from the running pipeline (the one that owns the global MeterProvider); with none
 * running, from a standalone monitor (exporters as set by setExportHealthSource). Never throws.
 */
export function getHealth(): HealthReport {
  return (livePipeline()?.health ?? standalone).report() as HealthReport;
}

/** Where getHealth() reads exporter health from while no pipeline runs (an app that assembles its own). */
export function setExportHealthSource(source: ExportHealthSource): void {
  standalone.setExportHealthSource(source);
}
