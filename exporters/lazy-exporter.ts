import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationType, type AggregationOption, type AggregationSelector, type AggregationTemporality, type AggregationTemporalitySelector, type InstrumentType, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { error } from '../src/diag';

/** Options for {@link LazyExporter}. */
export interface LazyExporterOptions {
  /** Display name for the one error line if building fails. */
  name: string;
  /** Builds the real exporter; called on the first export with data, at most once. */
  build: () => PushMetricExporter;
  /** Temporality, known before the real exporter exists. */
  temporality: AggregationTemporalitySelector;
  /** Aggregation, known before the real exporter exists. */
  aggregation?: AggregationSelector;
}

/**
 * Builds its exporter on the first export instead of at start-up, so the transport's modules
 * (gRPC, protobuf, HTTP) load only once there is something to send, off the app's start-up path.
 * The reader never calls export with an empty batch, so an app that records nothing loads nothing.
 */
export class LazyExporter implements PushMetricExporter {
  private target: PushMetricExporter | undefined;
  private failure: Error | undefined;

  constructor(private readonly options: LazyExporterOptions) {}

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    const target = this.resolve();
    if (!target) return done({ code: ExportResultCode.FAILED, error: this.failure });
    target.export(metrics, done);
  }

  selectAggregationTemporality(kind: InstrumentType): AggregationTemporality {
    return this.options.temporality(kind);
  }

  selectAggregation(kind: InstrumentType): AggregationOption {
    return this.options.aggregation?.(kind) ?? { type: AggregationType.DEFAULT };
  }

  async forceFlush(): Promise<void> {
    await this.target?.forceFlush();
  }

  async shutdown(): Promise<void> {
    await this.target?.shutdown();
  }

  private resolve(): PushMetricExporter | undefined {
    if (this.target || this.failure) return this.target;
    try {
      this.target = this.options.build();
    } catch (err) {
      this.failure = err as Error;
      error(`exporter ${this.options.name} failed to start (${this.failure.message}); its data is dropped, the other exporters keep working`);
    }
    return this.target;
  }
}
