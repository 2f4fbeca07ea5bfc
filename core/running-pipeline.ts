import type { Log } from './log';

/** What the process-wide slot holds: the pipeline that owns the global MeterProvider. */
export interface RunningPipeline {
  /** True once its shutdown ran; the slot then only waits for the next start to take it. */
  readonly stopped: boolean;
  /** Its log, for code the app calls outside it (registerCollector) to print at its level. */
  readonly log: Log;
  /** Its health, behind getHealth() (typed where it is defined, in instrumentation/health). */
  readonly health: { report(): unknown };
}

// One symbol, shared across copies of this module (the preload's CJS copy and an ESM app's),
// so preload and code never start two pipelines. It holds the pipeline object and nothing else.
const RUNNING = Symbol.for('otel-metrics-pipeline.running');
const slot = globalThis as { [RUNNING]?: RunningPipeline };

/** The pipeline in the slot (stopped or not), or undefined. */
export function runningPipeline(): RunningPipeline | undefined {
  return slot[RUNNING];
}

/** The pipeline in the slot if it has not been shut down, or undefined. */
export function livePipeline(): RunningPipeline | undefined {
  const p = slot[RUNNING];
  return p && !p.stopped ? p : undefined;
}

/** Puts `pipeline` in the slot (the caller checked that no live one holds it). */
export function occupySlot(pipeline: RunningPipeline): void {
  slot[RUNNING] = pipeline;
}
