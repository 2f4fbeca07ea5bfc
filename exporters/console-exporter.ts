import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { serializeConsole } from './console-serializer';

/** Where exporters print; `process.stdout` by default. */
export type WriteFn = (text: string) => void;

const stdout: WriteFn = (text) => process.stdout.write(text);

/** `OTEL_METRICS_EXPORTER=console`: one human-readable line per data point on stdout, cumulative. */
export class ConsoleMetricExporter implements PushMetricExporter {
  private stopped = false;

  constructor(private readonly write: WriteFn = stdout) {}

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
