import type { Attributes } from '@opentelemetry/api';
import { registerCollector, type CollectorRegistration, type RegisterCollectorOptions } from './custom-collector';

/** Options of {@link gaugeFunc}. */
export interface GaugeFuncOptions extends RegisterCollectorOptions {
  description?: string;
  /** UCUM unit, e.g. `By`; default none. */
  unit?: string;
  /** Labels of the one series; default none. */
  attributes?: Attributes;
}

/**
 * A gauge whose value is `fn()` at collection time, like client_golang's GaugeFunc:
 * `gaugeFunc('cache.entries', () => cache.size)`. A throwing `fn` skips the value with one
 * rate-limited line; `fn` may return a promise.
 */
export function gaugeFunc(name: string, fn: () => number | Promise<number>, options: GaugeFuncOptions = {}): CollectorRegistration {
  const { description, unit, attributes, meter } = options;
  return registerCollector({
    metrics: [{ name, description, unit }],
    async collect(observe) {
      observe(name, await fn(), attributes);
    },
  }, { meter });
}
