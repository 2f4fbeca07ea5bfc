import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { GaugeAggregation } from '../../config/cluster-options';
import { mergeClusterMetrics } from './merge-cluster-metrics';
import { isCarried, mergeRuleFor } from './merge-rule';
import type { MetricsPart } from './metrics-part';

/**
 * What keeps the cluster's totals monotonic: each worker's last answer, and the sum of the
 * counters and histograms of workers that are gone. prom-client's aggregate drops back when a
 * worker dies, and Prometheus reads that as a reset; here the departed worker's last cumulative
 * values stay in the total, and its replacement adds from zero on top.
 */
export class CarriedTotals {
  private readonly last = new Map<number, MetricsPart>();
  private carried: ScopeMetrics[] = [];

  constructor(private readonly gauges: Record<string, GaugeAggregation>) {}

  /** Worker `id` answered a scrape with `part`. */
  answered(id: number, part: MetricsPart): void {
    this.last.set(id, part);
  }

  /**
   * What stands in for every known worker that did not answer this round (busy, or exiting
   * and not yet reported gone): the counters and histograms of its last answer (stale, never
   * lower), so a slow or dying worker is no false reset. Its gauges are left out.
   */
  standIns(answered: ReadonlySet<number>): MetricsPart[] {
    const out: MetricsPart[] = [];
    for (const [id, part] of this.last) {
      if (!answered.has(id)) out.push({ instanceId: part.instanceId, scopeMetrics: this.monotonic(part.scopeMetrics) });
    }
    return out;
  }

  /** Worker `id` is gone: its last counters and histograms join the carried total. */
  departed(id: number): void {
    const part = this.last.get(id);
    this.last.delete(id);
    if (!part) return;
    this.carried = mergeClusterMetrics([this.part(), { instanceId: 'departed', scopeMetrics: this.monotonic(part.scopeMetrics) }], this.gauges);
  }

  /** The carried total, merged into every scrape after the live workers. */
  part(): MetricsPart {
    return { instanceId: 'departed', scopeMetrics: this.carried };
  }

  private monotonic(scopes: ScopeMetrics[]): ScopeMetrics[] {
    return scopes
      .map((s) => ({ scope: s.scope, metrics: s.metrics.filter((m) => isCarried(m, mergeRuleFor(m, this.gauges))) }))
      .filter((s) => s.metrics.length > 0);
  }
}
