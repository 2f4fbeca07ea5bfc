import type { MetricProducer } from './producer';

/** @deprecated Renamed to {@link MetricProducer} (instrumentation/producer.ts); kept so existing imports compile. */
export type MetricCollector = MetricProducer;
