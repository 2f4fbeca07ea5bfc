/** `otel-metrics-pipeline/instrumentation`: metric producers. */
export type { MetricProducer } from './producer';
export type { MetricCollector } from './metric-collector';
export type { ProducerOptions } from './registry';
export { instrumentationNames, resolveInstrumentations, createProducers, DEFAULT_INSTRUMENTATIONS } from './registry';
export { createSystemProducer, type SystemProducerOptions } from './system-producer';
export { createProcessProducer, type ProcessProducerOptions } from './process-producer';
export { createRuntimeProducer, type RuntimeProducerOptions } from './runtime-producer';
export { createHttpProducer, type HttpProducerOptions } from './http-producer';
export { setHttpRoute } from './http-route';
export { INTERNAL_HTTP, INTERNAL_USER_AGENT_PREFIX } from './http-attributes';
export { instrumentPool, type InstrumentPoolOptions, type PoolInstrumentation } from './db-pool';
export { getHealth, setExportHealthSource } from './health';
export { HealthMonitor, type HealthMonitorOptions, type ExportHealthSource } from './health-monitor';
export { DEFAULT_HEALTH_THRESHOLDS, type HealthReport, type HealthThresholds, type ExporterHealth, type HealthCheck } from './health-report';
export type { HealthOptions } from './health-config';
export { handleHealthRequest } from './health-handler';
export { startHealthServer, type HealthServer } from './health-server';
export { trackExportHealth } from './export-health-tracker';
