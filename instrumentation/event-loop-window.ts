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
const MS_IN_NS = 1e6;

/**
 * Event-loop delay and utilization over fixed windows.
 *
 * Delay is how late the loop ran a timer due now. `monitorEventLoopDelay` records the time
 * between two firings of its repeating libuv timer, which is the sampling period plus that
 * lateness (libuv re-arms a repeating timer from the loop time it fires at, so one blocked stretch
 * is one late sample). Left raw, an idle loop reads the period itself (~100 ms at the default
 * resolution). Every figure here has the period subtracted (a shift, so percentiles shift with
 * it; stddev is unchanged) and is clamped at 0: an idle loop reads about 0-1 ms, and a loop
 * blocked B ms reads between B - period and B at the block's sample. The delay histogram is reset only by this
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
  private readonly periodNs: number;

  /**
   * @param windowMillis window length, ms (default 10000).
   * @param resolutionMillis delay sampling period, ms (default 100): each sample wakes the loop, so finer costs idle CPU.
   */
  constructor(readonly windowMillis = 10_000, resolutionMillis = 100) {
    this.periodNs = resolutionMillis * MS_IN_NS;
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
      const late = (ns: number) => Math.max(0, ns - this.periodNs) * NS;
      reading.delay = {
        min: late(h.min), max: late(h.max), mean: late(h.mean), stddev: (Number.isNaN(h.stddev) ? 0 : h.stddev) * NS,
        p50: late(h.percentile(50)), p90: late(h.percentile(90)), p99: late(h.percentile(99)),
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
