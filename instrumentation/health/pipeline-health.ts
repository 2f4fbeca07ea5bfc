import type { ExportHealthSource, HealthMonitor, HealthMonitorOptions } from './health-monitor';
import type { HealthReport } from './health-report';

/**
 * One pipeline's health: its monitor (created on first use: from then on it samples the event
 * loop), the source its exporters' delivery is read from, and the thresholds it was started
 * with. Each pipeline owns one, so a pipeline started after another's shutdown reports only
 * its own exporters, with its own thresholds.
 */
export class PipelineHealth {
  private monitor: HealthMonitor | undefined;
  private source: ExportHealthSource | undefined;

  constructor(private readonly options?: HealthMonitorOptions) {}

  /** The monitor, created now if it does not exist yet. */
  monitorNow(): HealthMonitor {
    if (!this.monitor) {
      // The monitor's modules (event-loop sampler, cgroup readers) load only when health is asked for.
      const { HealthMonitor: Monitor } = require('./health-monitor') as typeof import('./health-monitor');
      this.monitor = new Monitor(this.options);
      if (this.source) this.monitor.setExportHealthSource(this.source);
    }
    return this.monitor;
  }

  /** Sets where exporter health is read from; replaces the previous source. */
  setExportHealthSource(source: ExportHealthSource): void {
    this.source = source;
    this.monitor?.setExportHealthSource(source);
  }

  /** The health report now. Never throws. */
  report(): HealthReport {
    return this.monitorNow().report();
  }

  /** Releases the monitor's sampler; a later report starts a new one. */
  close(): void {
    this.monitor?.close();
    this.monitor = undefined;
  }
}
