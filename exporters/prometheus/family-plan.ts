import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { FamilyKind, MetricNamer, PrometheusName } from './metric-namer';

/** One metric of a family, with the scope labels its points carry. */
export interface FamilyMember {
  metric: MetricData;
  scopeLabels: string;
}

/** A Prometheus metric family: one name, one type, one HELP, metrics from any number of scopes. */
export interface Family {
  name: PrometheusName;
  kind: FamilyKind;
  help: string;
  members: FamilyMember[];
}

/** What a family plan needs besides the data. */
export interface PlanContext {
  namer: MetricNamer;
  utf8: boolean;
  scopeLabels: (scope: ResourceMetrics['scopeMetrics'][number]['scope']) => string;
  /** Called with a reason once per metric name per process (the caller de-duplicates). */
  drop: (metricName: string, reason: string) => void;
  /** Sample names the exporter writes itself (`target_info`); a metric that clashes is dropped. */
  reserved: ReadonlySet<string>;
}

function kindOf(metric: MetricData): FamilyKind | string {
  const cumulative = metric.aggregationTemporality === AggregationTemporality.CUMULATIVE;
  switch (metric.dataPointType) {
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.SUM:
      if (!cumulative) return 'delta sums cannot be exposed to Prometheus (the reader must be cumulative)';
      return metric.isMonotonic ? 'counter' : 'gauge';
    case DataPointType.HISTOGRAM:
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return cumulative ? 'histogram' : 'delta histograms cannot be exposed to Prometheus (the reader must be cumulative)';
    default:
      return 'unknown point type';
  }
}

function sampleNames(kind: FamilyKind, base: string): string[] {
  if (kind === 'counter') return [`${base}_total`, `${base}_created`];
  if (kind === 'histogram') return [`${base}_bucket`, `${base}_count`, `${base}_sum`, `${base}_created`];
  return [base];
}

/**
 * Groups the collection into families before anything is written, because a conflict found
 * late could not be taken back from a streamed response: two metrics whose names meet with
 * different types (or whose sample names clash, as a gauge `foo_total` and a counter `foo`
 * would) are both dropped whole, as the spec requires.
 */
export function planFamilies(rm: ResourceMetrics, ctx: PlanContext): Family[] {
  const families = new Map<string, Family>();
  const owners = new Map<string, string>();
  const conflicted = new Map<string, string[]>();
  for (const { scope, metrics } of rm.scopeMetrics) {
    let scopeLabels: string | undefined;
    for (const metric of metrics) {
      const { name: otelName, unit, description } = metric.descriptor;
      const kind = kindOf(metric);
      if (kind !== 'counter' && kind !== 'gauge' && kind !== 'histogram') {
        ctx.drop(otelName, kind);
        continue;
      }
      const name = ctx.namer.name(otelName, unit, kind, ctx.utf8);
      if (name === null) {
        ctx.drop(otelName, 'nothing of the name is left after replacing invalid characters');
        continue;
      }
      scopeLabels ??= ctx.scopeLabels(scope);
      const member = { metric, scopeLabels };
      const existing = families.get(name.base);
      if (existing) {
        if (existing.kind === kind) existing.members.push(member);
        else conflicted.set(name.base, [...(conflicted.get(name.base) ?? [existing.kind]), kind]);
        continue;
      }
      const samples = sampleNames(kind, name.base);
      const clash = samples.find((s) => ctx.reserved.has(s) || (owners.has(s) && owners.get(s) !== name.base));
      if (clash !== undefined) {
        const owner = owners.get(clash);
        if (owner !== undefined) conflicted.set(owner, [...(conflicted.get(owner) ?? [families.get(owner)!.kind]), `${kind} ${name.base}`]);
        ctx.drop(otelName, `its Prometheus name ${name.base} clashes with ${ctx.reserved.has(clash) ? 'a name the exporter writes itself' : `the metric ${owner}`} (sample ${clash})`);
        continue;
      }
      for (const s of samples) owners.set(s, name.base);
      families.set(name.base, { name, kind, help: description, members: [member] });
    }
  }
  for (const [base, kinds] of conflicted) {
    const family = families.get(base);
    if (!family) continue;
    families.delete(base);
    ctx.drop(family.members[0]!.metric.descriptor.name, `metrics of different types meet at the Prometheus name ${base} (${kinds.join(' vs ')}); the whole family is dropped`);
  }
  return [...families.values()];
}
