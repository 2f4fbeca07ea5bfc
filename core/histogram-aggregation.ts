import { AggregationType, InstrumentType, type AggregationSelector } from '@opentelemetry/sdk-metrics';

/** Histogram aggregations; env `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`, default explicit. */
export const HISTOGRAM_AGGREGATIONS = ['explicit_bucket_histogram', 'base2_exponential_bucket_histogram'] as const;
/** One of {@link HISTOGRAM_AGGREGATIONS}. */
export type HistogramAggregation = (typeof HISTOGRAM_AGGREGATIONS)[number];

/** Aggregation selector honouring `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`, which upstream ignores. */
export function histogramAggregationSelector(choice: HistogramAggregation): AggregationSelector {
  const exponential = choice === 'base2_exponential_bucket_histogram';
  return (kind) =>
    exponential && kind === InstrumentType.HISTOGRAM
      ? { type: AggregationType.EXPONENTIAL_HISTOGRAM }
      : { type: AggregationType.DEFAULT };
}
