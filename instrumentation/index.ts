/** `otel-metrics-pipeline/instrumentation`: metric producers and custom collectors. */
export type { MetricCollector, MetricProducer } from './producer';
export { instrumentationNames } from './registry';
export { registerCollector } from './custom-collector';
export type { CollectorMetric, CollectorRegistration, CustomCollector, Observe, RegisterCollectorOptions } from './custom-collector';
export { gaugeFunc } from './gauge-func';
export type { GaugeFuncOptions } from './gauge-func';
