import { FALLBACK_DEFAULTS } from './delivery-options';

/** Options for {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failed attempts that open the circuit; default 3. */
  failureThreshold?: number;
  /** While open, how often the primary is tried again, in ms; default 30000. */
  probeIntervalMillis?: number;
  /** Called when the state changes, for logging. */
  onChange?: (open: boolean) => void;
}

/**
 * Closed: traffic goes to the primary. After `failureThreshold` consecutive failed attempts it
 * opens: traffic goes to the fallback, and every `probeIntervalMillis` one batch is tried on the
 * primary again. The first success closes it.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private lastProbe = 0;
  private readonly threshold: number;
  private readonly probeInterval: number;
  open = false;

  constructor(private readonly options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? FALLBACK_DEFAULTS.failureThreshold;
    this.probeInterval = options.probeIntervalMillis ?? FALLBACK_DEFAULTS.probeIntervalMillis;
  }

  /** Records one attempt on the primary. */
  record = (ok: boolean): void => {
    if (ok) {
      this.failures = 0;
      if (this.open) {
        this.open = false;
        this.options.onChange?.(false);
      }
      return;
    }
    this.failures++;
    if (!this.open && this.failures >= this.threshold) {
      this.open = true;
      this.openedAt = this.lastProbe = Date.now();
      this.options.onChange?.(true);
    }
  };

  /** True when the next batch should try the primary: closed, or open and a probe is due. */
  allowPrimary(now = Date.now()): boolean {
    if (!this.open) return true;
    if (now - this.lastProbe >= this.probeInterval) {
      this.lastProbe = now;
      return true;
    }
    return false;
  }

  /** How long the circuit has been open, in ms; 0 when closed. */
  openForMillis(now = Date.now()): number {
    return this.open ? now - this.openedAt : 0;
  }
}
