import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ResolvedConfig } from '../src/config/resolve-config';
import type { WriteFn } from './console-exporter';
import { histogramAggregationSelector } from './histogram-aggregation';
import { temporalitySelector } from './temporality';

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

  constructor(config: Pick<ResolvedConfig, 'temporalityPreference' | 'histogramAggregation'>, private readonly write: WriteFn = (t) => process.stdout.write(t)) {
    this.temporality = temporalitySelector(config.temporalityPreference);
    this.aggregation = histogramAggregationSelector(config.histogramAggregation);
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
