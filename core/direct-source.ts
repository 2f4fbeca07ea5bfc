import type { InstrumentationScope } from '@opentelemetry/core';
import type { AggregationOption, AggregationTemporality, InstrumentType, ScopeMetrics } from '@opentelemetry/sdk-metrics';

/** What a direct source asks of a reader: the temporality it selects per instrument kind. */
export interface TemporalityOf {
  selectAggregationTemporality(kind: InstrumentType): AggregationTemporality;
}

/** A reader as the pipeline sees it when choosing the direct path: its temporality and aggregation per kind. */
export interface SelectingReader extends TemporalityOf {
  selectAggregation?(kind: InstrumentType): AggregationOption;
}

/**
 * Metric data built at collection for one reader, outside SDK instruments (the reader appends
 * its scope to the SDK's own). Called once per collection of each reader.
 */
export type DirectSource = (reader: TemporalityOf) => ScopeMetrics | undefined;

/** An instrument a producer would rather fill directly than through the SDK. */
export interface DirectInstrument {
  /** The instrument name, e.g. `http.server.request.duration`. */
  name: string;
  /** The SDK kind it would have had, e.g. InstrumentType.HISTOGRAM. */
  type: InstrumentType;
  /** Its unit, e.g. `s`. */
  unit: string;
}

/**
 * Where a producer hands its direct sources, given to `MetricProducer.start(meter, context)` by
 * the pipeline. A producer must still use SDK instruments for any instrument `accepts` refuses.
 */
export interface DirectSources {
  /** The scope of the meter given to `start`: the one its direct metrics are reported under. */
  readonly scope: InstrumentationScope;
  /**
   * True when `instrument` on the meter given to `start` may be built directly: every reader of
   * the provider collects the direct sources, no configured view could select it, and every
   * reader keeps the default aggregation for its kind. Asked once, at start.
   */
  accepts(instrument: DirectInstrument): boolean;
  /** Adds a source, read at every collection of every reader; returns its removal. */
  add(source: DirectSource): () => void;
}

/** What the pipeline gives a producer beside its meter; custom producers may ignore it. */
export interface ProducerContext {
  /** Direct metric data beside the SDK's; undefined outside a pipeline (a plain MeterProvider). */
  direct?: DirectSources;
}
