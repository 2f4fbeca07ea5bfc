import { AggregationTemporality, InstrumentType, type AggregationTemporalitySelector } from '@opentelemetry/sdk-metrics';

/** Temporality preferences; env `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, default `cumulative`. */
export const TEMPORALITY_PREFERENCES = ['cumulative', 'delta', 'lowmemory'] as const;
/** One of {@link TEMPORALITY_PREFERENCES}. */
export type TemporalityPreference = (typeof TEMPORALITY_PREFERENCES)[number];

const { CUMULATIVE, DELTA } = AggregationTemporality;

/**
 * The spec's temporality table for a preference.
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk_exporters/otlp/#additional-environment-variable-configuration
 */
export function temporalitySelector(preference: TemporalityPreference): AggregationTemporalitySelector {
  if (preference === 'cumulative') return () => CUMULATIVE;
  const deltaKinds = new Set<InstrumentType>([InstrumentType.COUNTER, InstrumentType.HISTOGRAM]);
  if (preference === 'delta') deltaKinds.add(InstrumentType.OBSERVABLE_COUNTER);
  return (kind) => (deltaKinds.has(kind) ? DELTA : CUMULATIVE);
}
