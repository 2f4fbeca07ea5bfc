import type { ExportHealthSource, HealthMonitor, HealthMonitorOptions } from './health-monitor';
import type { HealthReport } from './health-report';

let monitor: HealthMonitor | undefined;
let pendingSource: ExportHealthSource | undefined;
let defaultOptions: HealthMonitorOptions | undefined;

/**
 * The process-wide monitor behind getHealth(), created on first use (it samples the event loop
 * from then on); `options` apply only to the call that creates it.
 */
export function defaultHealthMonitor(options?: HealthMonitorOptions): HealthMonitor {
  if (!monitor) {
    // The monitor's modules (event-loop sampler, cgroup readers) load only when health is asked for.
    const { HealthMonitor: Monitor } = require('./health-monitor') as typeof import('./health-monitor');
    monitor = new Monitor(options ?? defaultOptions);
    if (pendingSource) monitor.setExportHealthSource(pendingSource);
  }
  return monitor;
}

/**
 * The process's health now: status, CPU, memory, event-loop delay and, once the pipeline has set
 * a source with setExportHealthSource, each exporter's delivery. Never throws.
 */
export function getHealth(): HealthReport {
  return defaultHealthMonitor().report();
}

/** Hook for the pipeline: where getHealth() and the endpoint read exporter health from. */
export function setExportHealthSource(source: ExportHealthSource): void {
  pendingSource = source;
  monitor?.setExportHealthSource(source);
}

/** Releases the default monitor's sampler (after shutdown); the next getHealth() starts a new one. */
export function closeDefaultHealthMonitor(): void {
  monitor?.close();
  monitor = undefined;
}

/** Options the default monitor is created with when getHealth() creates it (the pipeline sets the env thresholds here). */
export function setDefaultHealthOptions(options: HealthMonitorOptions): void {
  defaultOptions = options;
}
