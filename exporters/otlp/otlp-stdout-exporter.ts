import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { histogramAggregationSelector, type HistogramAggregation } from '../../core/histogram-aggregation';
import { temporalitySelector, type TemporalityPreference } from '../../core/temporality';
import { stdoutWrite, type WriteFn } from '../../core/safe-write';

/**
 * `OTEL_METRICS_EXPORTER=otlp/stdout`: each export is one line of OTLP JSON (an
 * ExportMetricsServiceRequest) on stdout, as the spec's OTLP file exporter writes it.
 * Honours the OTLP temporality and histogram-aggregation variables.
 */
export class OtlpStdoutExporter implements PushMetricExporter {
  private readonly serializer = (require('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer')).JsonMetricsSerializer;
  private readonly temporality: (kind: InstrumentType) => AggregationTemporality;
  private readonly aggregation: (kind: InstrumentType) => AggregationOption;
  private stopped = false;

  constructor(
    config: { temporalityPreference?: TemporalityPreference; histogramAggregation?: HistogramAggregation } = {},
    private readonly write: WriteFn = stdoutWrite,
  ) {
    this.temporality = temporalitySelector(config.temporalityPreference ?? 'cumulative');
    this.aggregation = histogramAggregationSelector(config.histogramAggregation ?? 'explicit_bucket_histogram');
  }

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    if (this.stopped) return done({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
    try {
      const bytes = this.serializer.serializeRequest(metrics);
      if (bytes) this.write(Buffer.from(bytes).toString('utf8') + '\n');
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  selectAggregationTemporality(kind: InstrumentType): AggregationTemporality {
    return this.temporality(kind);
  }

  selectAggregation(kind: InstrumentType): AggregationOption {
    return this.aggregation(kind);
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.stopped = true;
  }
}
