import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ResolvedConfig } from '../config/resolve-config';
import { error, warn } from '../diag';
import { DeliveryStats } from '../../exporters/delivery-stats';
import { exporterNames, getExporterFactory } from '../../exporters/registry';

/**
 * Stands in for an exporter name that is not registered yet. Under the preload, the app's
 * `registerExporter` calls run after the provider is built, so the name is bound on the first
 * export instead. A name still unknown after start-up is reported once and its batches discarded.
 * Temporality is cumulative because it must be chosen before the real exporter exists.
 */
export class DeferredExporter implements PushMetricExporter {
  private target: PushMetricExporter | undefined;
  private failed = false;
  private abandoned = false;

  constructor(private readonly name: string, private readonly config: ResolvedConfig) {
    // After the main module's synchronous start-up: the last moment a registration is expected.
    setImmediate(() => {
      if (!this.bind()) {
        this.abandoned = true;
        warn(`unknown exporter ${JSON.stringify(name)} in OTEL_METRICS_EXPORTER; supported: ${exporterNames().join(', ')}; ignoring it, the other exporters keep working`);
      }
    }).unref();
  }

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    // An abandoned name was reported once already; failing every export would repeat it each interval.
    if (this.abandoned) return done({ code: ExportResultCode.SUCCESS });
    if (!this.bind()) return done({ code: ExportResultCode.FAILED, error: new Error(`exporter ${this.name} is not registered`) });
    this.target!.export(metrics, done);
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.CUMULATIVE;
  }

  async forceFlush(): Promise<void> {
    await this.target?.forceFlush();
  }

  async shutdown(): Promise<void> {
    await this.target?.shutdown();
  }

  private bind(): boolean {
    if (this.target) return true;
    if (this.failed) return false;
    const factory = getExporterFactory(this.name);
    if (!factory) return false;
    try {
      const built = factory(this.config, { name: this.name, stats: new DeliveryStats(this.name) });
      if (typeof (built as PushMetricExporter).export !== 'function') throw new Error('a registered exporter selected after start-up must be a push exporter');
      this.target = built as PushMetricExporter;
      return true;
    } catch (err) {
      this.failed = true;
      error(`exporter ${JSON.stringify(this.name)} failed to start (${(err as Error).message}); the other exporters keep working`);
      return false;
    }
  }
}
