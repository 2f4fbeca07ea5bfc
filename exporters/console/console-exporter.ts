import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { stdoutWrite, type WriteFn } from '../../core/safe-write';
import { serializeConsole } from './console-serializer';

/** `OTEL_METRICS_EXPORTER=console`: one human-readable line per data point on stdout, cumulative. */
export class ConsoleMetricExporter implements PushMetricExporter {
  private stopped = false;

  constructor(private readonly write: WriteFn = stdoutWrite) {}

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    if (this.stopped) return done({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
    try {
      const text = serializeConsole(metrics);
      if (text) this.write(text);
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.CUMULATIVE;
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.stopped = true;
  }
}
