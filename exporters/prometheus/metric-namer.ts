import type { TranslationStrategy } from './translation-strategy';
import { countGaugeTokens } from './count-gauge-name';
import { unitWords } from './unit-words';

/** The Prometheus family kind a metric becomes; non-monotonic sums are gauges. */
export type FamilyKind = 'counter' | 'gauge' | 'histogram';

/** A metric's Prometheus name, split so each format can add its own type suffix. */
export interface PrometheusName {
  /** The family name without a type suffix, e.g. `http_server_request_duration_seconds`. */
  base: string;
  /** The UNIT metadata (`seconds`), or '' when there is none or the name does not end in it. */
  unit: string;
  /** Counters only: the text format's sample name carries `_total` (OpenMetrics always does). */
  total: boolean;
}

const LEGACY_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** True when `name` needs no quoting in any Prometheus format. */
export function isLegacyName(name: string): boolean {
  return LEGACY_NAME.test(name);
}

/** The `underscores` escaping: invalid characters become `_`, runs collapse, no leading digit. */
export function escapeMetricName(name: string): string {
  const escaped = name.replace(/[^a-zA-Z0-9_:]+/g, '_').replace(/__+/g, '_');
  return /^[0-9]/.test(escaped) ? `_${escaped}` : escaped;
}

function hasSequence(tokens: string[], words: string): boolean {
  return `_${tokens.join('_')}_`.includes(`_${words}_`);
}

/**
 * Builds names by the spec's "OTLP Metric points to Prometheus" rules: the unit in words is
 * appended only when the name does not already hold it, before the type suffix; monotonic
 * sums end in `_total`. Results are cached: a process has hundreds of metrics, not millions.
 */
export class MetricNamer {
  private readonly cache = new Map<string, PrometheusName | null>();
  private readonly escape: boolean;
  private readonly suffixes: boolean;

  constructor(strategy: TranslationStrategy) {
    this.escape = strategy.startsWith('UnderscoreEscaping');
    this.suffixes = strategy.endsWith('WithSuffixes');
  }

  /**
   * The name for `name`/`unit` as `kind`; `utf8` says the scraper accepts UTF-8 names (otherwise
   * UTF-8 strategies are escaped with underscores). Null when nothing valid is left of the name.
   */
  name(name: string, unit: string, kind: FamilyKind, utf8: boolean): PrometheusName | null {
    const key = `${name}\u0000${unit}\u0000${kind}\u0000${utf8 ? 1 : 0}`;
    let result = this.cache.get(key);
    if (result === undefined) {
      result = this.escape || !utf8 ? this.escaped(name, unit, kind) : this.unescaped(name, unit, kind);
      this.cache.set(key, result);
    }
    return result;
  }

  private escaped(name: string, unit: string, kind: FamilyKind): PrometheusName | null {
    let tokens = name.split(/[^a-zA-Z0-9:]+/).filter((t) => t !== '');
    let total = false;
    if (kind === 'counter' && tokens.at(-1) === 'total') {
      tokens.pop();
      total = true;
    }
    let unitName = '';
    if (this.suffixes) {
      const words = unitWords(unit, kind === 'gauge');
      const main = cleanWord(words.main);
      const per = words.per === '' ? '' : `per_${cleanWord(words.per)}`;
      if (main !== '' && !hasSequence(tokens, main)) tokens.push(main);
      if (per !== 'per_' && per !== '' && !hasSequence(tokens, per)) tokens.push(per);
      unitName = [main, per === 'per_' ? '' : per].filter((w) => w !== '').join('_');
      total ||= kind === 'counter';
      // `_count` is reserved for histograms and summaries (see countGaugeTokens); a unit word after it is fine.
      if (kind === 'gauge') tokens = countGaugeTokens(tokens, unit);
    }
    if (tokens.length === 0) return null;
    let base = tokens.join('_');
    if (/^[0-9]/.test(base)) base = `_${base}`;
    return { base, unit: endsWithUnit(base, unitName) ? unitName : '', total };
  }

  private unescaped(name: string, unit: string, kind: FamilyKind): PrometheusName | null {
    if (name === '' || /^_*$/.test(name)) return null;
    let base = name;
    let total = false;
    if (kind === 'counter' && base.endsWith('_total') && base.length > 6) {
      base = base.slice(0, -6);
      total = true;
    }
    let unitName = '';
    if (this.suffixes) {
      const { main, per } = unitWords(unit, kind === 'gauge');
      if (main !== '' && !base.includes(main)) base = `${base}_${main}`;
      if (per !== '' && !base.endsWith(`per_${per}`)) base = `${base}_per_${per}`;
      unitName = [main, per === '' ? '' : `per_${per}`].filter((w) => w !== '').join('_');
      total ||= kind === 'counter';
    }
    return { base, unit: endsWithUnit(base, unitName) ? unitName : '', total };
  }
}

function cleanWord(word: string): string {
  return word.replace(/[^a-zA-Z0-9:]+/g, '_').replace(/^_+|_+$/g, '');
}

// OpenMetrics: a non-empty UNIT must be a suffix of the family name; when the name already
// held the unit somewhere else (`seconds_elapsed`), UNIT is left out rather than made invalid.
function endsWithUnit(base: string, unit: string): boolean {
  return unit !== '' && base.endsWith(`_${unit}`);
}
