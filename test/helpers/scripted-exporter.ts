import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** One scripted answer: success, an error to fail with, or a delay before answering. */
export type Step = { ok: true; delayMs?: number } | { error: unknown; delayMs?: number };

/**
 * A PushMetricExporter that answers from a script (then repeats the last step), records every
 * batch it was given and when, and counts shutdowns. A fake of the real interface, for unit tests.
 */
export class ScriptedExporter implements PushMetricExporter {
  readonly calls: Array<{ at: number; batch: ResourceMetrics }> = [];
  readonly delivered: ResourceMetrics[] = [];
  shutdowns = 0;

  constructor(public script: Step[] = [{ ok: true }]) {}

  export(batch: ResourceMetrics, done: (r: ExportResult) => void): void {
    const step = this.script.length > 1 ? this.script.shift()! : this.script[0]!;
    this.calls.push({ at: Date.now(), batch });
    const answer = () => {
      if ('ok' in step) {
        this.delivered.push(batch);
        done({ code: ExportResultCode.SUCCESS });
      } else done({ code: ExportResultCode.FAILED, error: step.error as Error });
    };
    if (step.delayMs) setTimeout(answer, step.delayMs);
    else queueMicrotask(answer);
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.DELTA;
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
}
