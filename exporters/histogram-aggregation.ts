import { AggregationType, InstrumentType, type AggregationSelector } from '@opentelemetry/sdk-metrics';
import type { HistogramAggregation } from '../src/config/options';

/** Aggregation selector honouring `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`, which upstream ignores. */
export function histogramAggregationSelector(choice: HistogramAggregation): AggregationSelector {
  const exponential = choice === 'base2_exponential_bucket_histogram';
  return (kind) =>
    exponential && kind === InstrumentType.HISTOGRAM
      ? { type: AggregationType.EXPONENTIAL_HISTOGRAM }
      : { type: AggregationType.DEFAULT };
}
