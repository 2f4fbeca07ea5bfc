import type { DataPoint, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { defaultLog } from '../../core/log';
import { escapeHelp, heads, line, num, seconds } from './exposition-lines';
import { planFamilies, type Family } from './family-plan';
import { histogramSamples } from './histogram-samples';
import { LabelNamer } from './label-namer';
import { escapeLabelValue } from './escape-label-value';
import { formatLabels } from './label-set';
import { MetricNamer } from './metric-namer';
import type { TranslationStrategy } from './translation-strategy';

/** `text`: Prometheus text 0.0.4; `openmetrics`: OpenMetrics 1.0 text (ends with `# EOF`). */
export type ExpositionFormat = 'text' | 'openmetrics';

/** Options of {@link PrometheusSerializer}. */
export interface PrometheusSerializerOptions {
  /** Name translation; default `UnderscoreEscapingWithSuffixes` (env `OTEL_EXPORTER_PROMETHEUS_TRANSLATION_STRATEGY`). */
  translationStrategy?: TranslationStrategy;
  /** Leave out the otel_scope_* labels; default false (env `OTEL_EXPORTER_PROMETHEUS_WITHOUT_SCOPE_INFO`). */
  withoutScopeInfo?: boolean;
  /** Leave out target_info; default false (env `OTEL_EXPORTER_PROMETHEUS_WITHOUT_TARGET_INFO`). */
  withoutTargetInfo?: boolean;
  /** Where the one line about a dropped metric goes; default a warning on stderr (the reader passes its pipeline's). */
  warn?: (line: string) => void;
}

// Output is handed out in pieces of about this many UTF-16 units, so a 100k-series scrape
// never exists as one string and the socket can apply backpressure between pieces.
const CHUNK = 64 * 1024;
const SCOPE_LABELS = new Set(['otel_scope_name', 'otel_scope_version', 'otel_scope_schema_url']);
const HISTOGRAM_RESERVED = new Set([...SCOPE_LABELS, 'le']);
const NONE: ReadonlySet<string> = new Set();

/**
 * Turns a collection into Prometheus text 0.0.4 or OpenMetrics 1.0, following the OTel spec's
 * "OTLP Metric points to Prometheus" rules, as a sequence of string pieces. Pure: no I/O; it
 * keeps only name caches and the set of metrics it already warned about.
 */
export class PrometheusSerializer {
  private readonly namer: MetricNamer;
  private readonly labelNamers = { escaped: new LabelNamer(false), utf8: new LabelNamer(true) };
  private readonly warned = new Set<string>();
  private readonly warn: (line: string) => void;

  constructor(private readonly options: PrometheusSerializerOptions = {}) {
    this.namer = new MetricNamer(options.translationStrategy ?? 'UnderscoreEscapingWithSuffixes');
    this.warn = options.warn ?? defaultLog.warn;
  }

  /** The whole exposition as one string; for pushes and tests, where the size is small. */
  serializeToString(rm: ResourceMetrics, format: ExpositionFormat = 'text', utf8 = false): string {
    let out = '';
    for (const piece of this.serialize(rm, format, utf8)) out += piece;
    return out;
  }

  /** The exposition in pieces of about 64 KiB; `utf8` when the scraper accepts `escaping=allow-utf8`. */
  *serialize(rm: ResourceMetrics, format: ExpositionFormat = 'text', utf8 = false): Generator<string> {
    const om = format === 'openmetrics';
    const strategyUtf8 = utf8 && !(this.options.translationStrategy ?? 'Underscore').startsWith('Underscore');
    const labelNamer = strategyUtf8 ? this.labelNamers.utf8 : this.labelNamers.escaped;
    let buf = '';
    const resourceAttributes = rm.resource.attributes;
    const withTarget = !this.options.withoutTargetInfo && Object.keys(resourceAttributes).length > 0;
    if (withTarget) {
      buf += om ? '# TYPE target info\n# HELP target Target metadata\n' : '# HELP target_info Target metadata\n# TYPE target_info gauge\n';
      buf += line(heads('target_info'), formatLabels(resourceAttributes, labelNamer, NONE), '1');
    }
    const families = planFamilies(rm, {
      namer: this.namer,
      utf8: strategyUtf8,
      scopeLabels: (scope) => this.scopeLabels(scope),
      drop: (name, reason) => this.dropOnce(name, reason),
      reserved: withTarget ? new Set(['target_info', 'target']) : NONE,
    });
    for (const family of families) {
      buf += this.header(family, om);
      for (const member of family.members) {
        for (const piece of this.samples(family, member.metric, member.scopeLabels, labelNamer, om)) {
          buf += piece;
          if (buf.length >= CHUNK) {
            yield buf;
            buf = '';
          }
        }
      }
    }
    if (om) buf += '# EOF\n';
    if (buf !== '') yield buf;
  }

  private header(family: Family, om: boolean): string {
    const { base, unit, total } = family.name;
    const type = family.kind;
    const metaName = heads(om || type !== 'counter' || !total ? base : `${base}_total`).meta;
    // Without a description the OTel name is the help: it tells the reader where the name came
    // from, and promtool's linter rejects a family without help text.
    const help = `# HELP ${metaName} ${escapeHelp(family.help || family.members[0]!.metric.descriptor.name, om)}\n`;
    if (!om) return `${help}# TYPE ${metaName} ${type}\n`;
    return `# TYPE ${metaName} ${type}\n${unit === '' ? '' : `# UNIT ${metaName} ${unit}\n`}${help}`;
  }

  // One generator step per data point keeps the chunking check cheap and the memory flat.
  private *samples(family: Family, metric: MetricData, scopeLabels: string, labelNamer: LabelNamer, om: boolean): Generator<string> {
    const { base, total } = family.name;
    const points = metric.dataPoints as DataPoint<unknown>[];
    const histogram = family.kind === 'histogram';
    const reserved = this.options.withoutScopeInfo ? (histogram ? LE_ONLY : NONE) : histogram ? HISTOGRAM_RESERVED : SCOPE_LABELS;
    const join = (labels: string) => (labels === '' ? scopeLabels : scopeLabels === '' ? labels : `${labels},${scopeLabels}`);
    if (family.kind === 'gauge') {
      const h = heads(base);
      for (const p of points) yield line(h, join(formatLabels(p.attributes, labelNamer, reserved)), num(p.value as number));
      return;
    }
    if (family.kind === 'counter') {
      const created = heads(`${base}_created`);
      const h = heads(om || total ? `${base}_total` : base);
      for (const p of points) {
        const labels = join(formatLabels(p.attributes, labelNamer, reserved));
        const sample = line(h, labels, num(p.value as number));
        yield om ? sample + line(created, labels, seconds(p.startTime)) : sample;
      }
      return;
    }
    yield* histogramSamples(base, metric, (p) => join(formatLabels(p.attributes, labelNamer, reserved)), om);
  }

  private scopeLabels(scope: { name: string; version?: string; schemaUrl?: string }): string {
    if (this.options.withoutScopeInfo) return '';
    let out = `otel_scope_name="${escapeLabelValue(scope.name)}"`;
    if (scope.version) out += `,otel_scope_version="${escapeLabelValue(scope.version)}"`;
    if (scope.schemaUrl) out += `,otel_scope_schema_url="${escapeLabelValue(scope.schemaUrl)}"`;
    return out;
  }

  private dropOnce(name: string, reason: string): void {
    if (this.warned.has(name)) return;
    if (this.warned.size < 1000) this.warned.add(name);
    this.warn(`prometheus: dropping metric ${JSON.stringify(name)}: ${reason}`);
  }
}

const LE_ONLY: ReadonlySet<string> = new Set(['le']);
