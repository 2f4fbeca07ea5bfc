import type { CollectionResult, MetricProducer as SdkMetricProducer, MetricReader, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { emptyResource } from '@opentelemetry/resources';

/** Metric data a part of the pipeline builds itself at collection, for one reader. */
export type DirectSource = (reader: MetricReader) => ScopeMetrics | undefined;

/**
 * The pipeline's sources of metric data that do not go through SDK instruments, handed to each
 * reader as an SDK MetricProducer (the reader appends their scopes to the SDK's own). The list is
 * read live at every collection, so sources added after the readers were built still arrive.
 */
export class DirectMetrics {
  private readonly sources: DirectSource[] = [];

  add(source: DirectSource): void {
    this.sources.push(source);
  }

  /** The producer for `reader()`: the reader is given later, since it takes its producers when built. */
  producerFor(reader: () => MetricReader | undefined): SdkMetricProducer {
    return {
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
  }
}
