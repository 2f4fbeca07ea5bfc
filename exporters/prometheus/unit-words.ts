// UCUM units (as OTel semconv writes them) to the words Prometheus' naming guide uses. The
// table is the one Prometheus' own OTLP translator uses, so a metric gets the same name whether
// it is scraped from us or pushed to Prometheus over OTLP.
const MAIN: Readonly<Record<string, string>> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tibibytes',
  KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes', TBy: 'terabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams',
  Cel: 'celsius', Hz: 'hertz', '%': 'percent',
};

// The denominator of a rate reads in the singular: `m/s` is meters_per_second.
const PER: Readonly<Record<string, string>> = {
  s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year',
};

/** A unit in words: `main` (e.g. `bytes`) and `per` (e.g. `second`); either may be empty. */
export interface UnitWords {
  main: string;
  per: string;
}

/**
 * Splits `unit` at the first `/` and turns each side into words. Bracketed annotations such as
 * `{request}` are dropped (a count of requests is unitless in Prometheus), and `1` is unitless
 * unless `ratioForOne` (gauges only, as Prometheus' translator does: counters and histograms
 * with unit `1` are almost always counts of things, not ratios).
 */
export function unitWords(unit: string, ratioForOne: boolean): UnitWords {
  const slash = unit.indexOf('/');
  const mainPart = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  const perPart = slash < 0 ? '' : unit.slice(slash + 1).trim();
  let main = '';
  if (mainPart === '1') main = ratioForOne && slash < 0 ? 'ratio' : '';
  else if (mainPart !== '' && !/[{}]/.test(mainPart)) main = MAIN[mainPart] ?? mainPart;
  const per = perPart !== '' && !/[{}]/.test(perPart) ? (PER[perPart] ?? perPart) : '';
  return { main, per };
}
