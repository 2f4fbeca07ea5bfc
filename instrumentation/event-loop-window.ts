import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

type IntervalHistogram = ReturnType<typeof monitorEventLoopDelay>;

/** Event-loop delay statistics over one window, in seconds. */
export interface DelayStats {
  min: number; max: number; mean: number; stddev: number; p50: number; p90: number; p99: number;
}

/** Event-loop delay and utilization over the last completed window. */
export interface WindowReading {
  delay?: DelayStats;
  /** Share of the window the loop was busy, [0, 1]. */
  utilization?: number;
  /** Length of the window the figures cover, ms. */
  windowMillis: number;
}

const NS = 1e-9;

/**
 * Event-loop delay and utilization over fixed windows. The delay histogram is reset only by this
 * class's own timer at window boundaries, never by a collection, so every reader, at any cadence,
 * reads the same figures for the same completed window and no reader changes what another sees.
 * Before the first window completes, the running one is reported.
 */
export class EventLoopWindow {
  private readonly histogram: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private windowStart = performance.now();
  private eluStart: EventLoopUtilization = performance.eventLoopUtilization();
  private last: WindowReading | undefined;

  /**
   * @param windowMillis window length, ms (default 10000).
   * @param resolutionMillis delay sampling period, ms (default 100): each sample wakes the loop, so finer costs idle CPU.
   */
  constructor(readonly windowMillis = 10_000, resolutionMillis = 100) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMillis });
    this.histogram.enable();
    this.timer = setInterval(() => this.rotate(), windowMillis);
    this.timer.unref();
  }

  private snapshot(): WindowReading {
    const h = this.histogram;
    const elu = performance.eventLoopUtilization(this.eluStart);
    const reading: WindowReading = { windowMillis: performance.now() - this.windowStart, utilization: Math.min(1, Math.max(0, elu.utilization)) };
    if (h.count > 0) {
      reading.delay = {
        min: h.min * NS, max: h.max * NS, mean: h.mean * NS, stddev: (Number.isNaN(h.stddev) ? 0 : h.stddev) * NS,
        p50: h.percentile(50) * NS, p90: h.percentile(90) * NS, p99: h.percentile(99) * NS,
      };
    }
    return reading;
  }

  private rotate(): void {
    this.last = this.snapshot();
    this.histogram.reset();
    this.windowStart = performance.now();
    this.eluStart = performance.eventLoopUtilization();
  }

  /** The last completed window, or the running one before any has completed. */
  read(): WindowReading {
    return this.last ?? this.snapshot();
  }

  /** Stops sampling and the window timer. */
  close(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
