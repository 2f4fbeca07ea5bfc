import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';

/**
 * Gives a decorator the wrapped exporter's temporality and aggregation choices, if it has any:
 * the reader asks the outermost exporter, and only the innermost one knows.
 */
export function forwardSelectors(decorator: PushMetricExporter, inner: PushMetricExporter): void {
  if (inner.selectAggregationTemporality) decorator.selectAggregationTemporality = (kind) => inner.selectAggregationTemporality!(kind);
  if (inner.selectAggregation) decorator.selectAggregation = (kind) => inner.selectAggregation!(kind);
}
