/** `otel-metrics-pipeline/instrumentation`: metric producers. */
export type { MetricCollector } from './metric-collector';
