import type { Attributes } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { buildResource } from '../pipeline/resource';

/** Name of the one gauge the doctor sends (value 1); filter it out downstream if it is unwanted. */
export const DOCTOR_METRIC_NAME = 'otel_metrics_pipeline.doctor.check';

class OneShotReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/**
 * A batch holding one gauge, `otel_metrics_pipeline.doctor.check` = 1, under the resource the
 * app would report (so it lands where the app's metrics would), built by the real SDK.
 */
export async function buildTestBatch(resourceAttributes: Attributes): Promise<ResourceMetrics> {
  const reader = new OneShotReader();
  const provider = new MeterProvider({ resource: buildResource(resourceAttributes), readers: [reader] });
  provider
    .getMeter('otel-metrics-pipeline/doctor')
    .createGauge(DOCTOR_METRIC_NAME, { description: 'Sent once by `otel-metrics-pipeline doctor` to test delivery; always 1.', unit: '1' })
    .record(1);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}
