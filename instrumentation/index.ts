/**
 * `otel-metrics-pipeline/instrumentation`: the built-in producers, custom collectors, DB pool
 * gauges, the HTTP route hint and health endpoints, for use beside or without `startMetrics`.
 * (`registerProducer`, `MetricProducer` and `getHealth` are in the main entry point.)
 */
export type { ProducerOptions } from './registry';
export { createSystemProducer, type SystemProducerOptions } from './system-producer';
export { createProcessProducer, type ProcessProducerOptions } from './process-producer';
export { createRuntimeProducer, type RuntimeProducerOptions } from './runtime-producer';
export { createHttpProducer, type HttpProducerOptions } from './http/http-producer';
export { setHttpRoute } from './http/http-route';
export { instrumentPool, type InstrumentPoolOptions, type PoolInstrumentation } from './db-pool';
export { HealthMonitor, type HealthMonitorOptions, type ExportHealthSource } from './health/health-monitor';
export { DEFAULT_HEALTH_THRESHOLDS, type HealthCheck } from './health/health-report';
export { handleHealthRequest } from './health/health-handler';
export { startHealthServer, type HealthServer } from './health/health-server';
export { registerCollector } from './custom-collector';
export type { CollectorMetric, CollectorRegistration, CustomCollector, Observe, RegisterCollectorOptions } from './custom-collector';
export { gaugeFunc } from './gauge-func';
export type { GaugeFuncOptions } from './gauge-func';
