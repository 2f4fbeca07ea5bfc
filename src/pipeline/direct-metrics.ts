import type { InstrumentationScope } from '@opentelemetry/core';
import { AggregationType, type CollectionResult, type MetricProducer as SdkMetricProducer, type MetricReader, type ScopeMetrics, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { emptyResource } from '@opentelemetry/resources';
import type { DirectInstrument, DirectSource, DirectSources, SelectingReader } from '../../core/direct-source';
import { viewCouldSelect } from '../../core/view-could-select';

export type { DirectSource } from '../../core/direct-source';

/**
 * The pipeline's sources of metric data that do not go through SDK instruments (the
 * self-metrics, the http producer's duration histogram), handed to each reader as an SDK
 * MetricProducer (the reader appends their scopes to the SDK's own). The list is read live at
 * every collection, so sources added after the readers were built still arrive.
 */
export class DirectMetrics {
  private readonly sources: DirectSource[] = [];
  // The producers handed out: a reader that holds none of them (one passed in from code, a pull
  // plug-in that ignored them) would never see direct data, so producers keep the SDK path then.
  private readonly handed = new Set<SdkMetricProducer>();

  /** Adds a source read at every collection of every reader given a producer here; returns its removal. */
  add(source: DirectSource): () => void {
    this.sources.push(source);
    return () => {
      const i = this.sources.indexOf(source);
      if (i >= 0) this.sources.splice(i, 1);
    };
  }

  /**
   * What producers starting on the meter of `scope` get: direct sources are accepted for an
   * instrument when every one of `readers` collects them with the default aggregation for its
   * kind, and none of `views` could select it (views apply only on the SDK path).
   */
  sourcesFor(scope: InstrumentationScope, views: readonly ViewOptions[], readers: readonly MetricReader[]): DirectSources {
    return {
      scope,
      accepts: (instrument: DirectInstrument) =>
        readers.every((r) => this.reaches(r) && defaultAggregation(r, instrument))
        && !viewCouldSelect(views, instrument, { name: scope.name, version: scope.version ?? '', schemaUrl: scope.schemaUrl }),
      add: (source) => this.add(source),
    };
  }

  /** The producer for `reader()`: the reader is given later, since it takes its producers when built. */
  producerFor(reader: () => MetricReader | undefined): SdkMetricProducer {
    const producer: SdkMetricProducer = {
      collect: async (): Promise<CollectionResult> => {
        const r = reader();
        const scopeMetrics: ScopeMetrics[] = [];
        const errors: unknown[] = [];
        if (r) {
          for (const source of this.sources) {
            try {
              const s = source(r);
              if (s) scopeMetrics.push(s);
            } catch (err) {
              errors.push(err);
            }
          }
        }
        // The reader keeps the SDK's resource and takes only the scopes from here.
        return { resourceMetrics: { resource: emptyResource(), scopeMetrics }, errors };
      },
    };
    this.handed.add(producer);
    return producer;
  }

  // The SDK reader keeps its producers in `_metricProducers`; a reader without that field (another
  // implementation) is taken as not reached.
  private reaches(reader: MetricReader): boolean {
    const list = (reader as unknown as { _metricProducers?: unknown })._metricProducers;
    return Array.isArray(list) && list.some((p) => this.handed.has(p as SdkMetricProducer));
  }
}

function defaultAggregation(reader: SelectingReader, instrument: DirectInstrument): boolean {
  try {
    const a = reader.selectAggregation?.(instrument.type);
    return a === undefined || a.type === AggregationType.DEFAULT;
  } catch {
    return false;
  }
}
