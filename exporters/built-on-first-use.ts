import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, AggregationType, type AggregationOption, type AggregationSelector, type AggregationTemporalitySelector, type InstrumentType, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { defaultLog, type Log } from '../core/log';
import type { Attempt, CancellableExporter, DeliveryResult } from './delivery/attempt';
import { attemptOnce } from './delivery/attempt-once';

/** What {@link BuiltOnFirstUseOptions.build} returns: the exporter, and the selectors it declared if they are known only now. */
export interface BuiltExporter {
  exporter: PushMetricExporter;
  temporality?: AggregationTemporalitySelector;
  aggregation?: AggregationSelector;
}

/** Options for {@link BuiltOnFirstUse}. */
export interface BuiltOnFirstUseOptions {
  /** Display name for the one error line if building fails. */
  name: string;
  /** Builds the real exporter; `undefined` means "not available yet" (try again later). A throw is final. */
  build: () => PushMetricExporter | BuiltExporter | undefined;
  /** Temporality known before the exporter exists; default cumulative (or what `build` declares). */
  temporality?: AggregationTemporalitySelector;
  /** Aggregation known before the exporter exists; default the SDK's. */
  aggregation?: AggregationSelector;
  /**
   * Try to build once on the next turn of the event loop instead of on the first export; if the
   * exporter is still unavailable then, call this (to say so once) and discard its batches.
   */
  onUnavailable?: () => void;
  /** Where the one line goes if building fails: the pipeline's log; default info level on stderr. */
  log?: Log;
}

/**
 * An exporter built on first use. Two uses, one wrapper: a transport whose modules (gRPC,
 * protobuf, TLS) should load only once there is something to send (the reader never exports an
 * empty batch, so an idle app loads nothing), and an exporter name that the app registers only
 * after the preload built the pipeline (bound on the next tick, with the temporality it declares).
 */
export class BuiltOnFirstUse implements CancellableExporter {
  private target: PushMetricExporter | undefined;
  private declared: Omit<BuiltExporter, 'exporter'> = {};
  private failure: Error | undefined;
  private abandoned = false;

  constructor(private readonly options: BuiltOnFirstUseOptions) {
    if (options.onUnavailable) {
      // After the main module's synchronous start-up: the last moment a registration is expected.
      // Not unref'd: an app with nothing else pending would reach its exit flush first (and report
      // the name as undelivered data); a ref'd immediate runs at once and holds nothing open.
      setImmediate(() => {
        if (this.resolve() || this.failure) return;
        this.abandoned = true;
        options.onUnavailable!();
      });
    }
  }

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    // An abandoned name was reported once already; failing every export would repeat it each interval.
    if (this.abandoned) return done({ code: ExportResultCode.SUCCESS });
    const target = this.resolve();
    if (!target) return done({ code: ExportResultCode.FAILED, error: this.failure ?? new Error(`exporter ${this.options.name} is not available yet`) });
    target.export(metrics, done);
  }

  /** As export, with the attempt's signal passed on to an exporter that takes one. */
  async exportWithin(metrics: ResourceMetrics, attempt: Attempt): Promise<DeliveryResult> {
    if (this.abandoned) return { code: ExportResultCode.SUCCESS };
    const target = this.resolve();
    if (!target) return { code: ExportResultCode.FAILED, error: this.failure ?? new Error(`exporter ${this.options.name} is not available yet`) };
    return attemptOnce(target, metrics, attempt);
  }

  // The SDK fixes an instrument's temporality at its first collection, so the selectors of a
  // name awaiting registration (onUnavailable) bind it if it is registered by then, even when that collection comes before the check on the immediate
  // (an app that loads the unbundled main entry beside the bundled preload can take longer than
  // a short export interval to get to its registerExporter call).
  selectAggregationTemporality(kind: InstrumentType): AggregationTemporality {
    if (this.options.onUnavailable && !this.abandoned) this.resolve();
    const selector = this.declared.temporality ?? this.options.temporality;
    return selector ? selector(kind) : AggregationTemporality.CUMULATIVE;
  }

  selectAggregation(kind: InstrumentType): AggregationOption {
    if (this.options.onUnavailable && !this.abandoned) this.resolve();
    const selector = this.declared.aggregation ?? this.options.aggregation;
    return selector ? selector(kind) : { type: AggregationType.DEFAULT };
  }

  async forceFlush(): Promise<void> {
    await this.target?.forceFlush();
  }

  async shutdown(): Promise<void> {
    await this.target?.shutdown();
  }

  private resolve(): PushMetricExporter | undefined {
    if (this.target || this.failure) return this.target;
    try {
      const built = this.options.build();
      if (built === undefined) return undefined;
      if ('exporter' in built && typeof (built as BuiltExporter).exporter?.export === 'function') {
        const { exporter, ...declared } = built as BuiltExporter;
        this.target = exporter;
        this.declared = declared;
      } else if (typeof (built as PushMetricExporter).export === 'function') {
        this.target = built as PushMetricExporter;
      } else {
        throw new Error('it is not a push exporter (no export method)');
      }
    } catch (err) {
      this.failure = err as Error;
      (this.options.log ?? defaultLog).error(`exporter ${this.options.name} failed to start (${this.failure.message}); its data is dropped, the other exporters keep working`);
    }
    return this.target;
  }
}
