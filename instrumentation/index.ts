/** `otel-metrics-pipeline/instrumentation`: metric producers. */
export type { MetricCollector, MetricProducer } from './producer';
export { instrumentationNames } from './registry';
