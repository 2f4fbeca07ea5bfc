/**
 * How OTel names become Prometheus names, with the four values the OTel spec (and Prometheus'
 * own OTLP receiver) define. Env `OTEL_EXPORTER_PROMETHEUS_TRANSLATION_STRATEGY`; default
 * `UnderscoreEscapingWithSuffixes`.
 * - `UnderscoreEscapingWithSuffixes`: invalid characters become `_`, unit and type suffixes added.
 * - `UnderscoreEscapingWithoutSuffixes`: escaped, no suffixes.
 * - `NoUTF8EscapingWithSuffixes`: names kept as UTF-8 (quoted) for scrapers that accept
 *   `escaping=allow-utf8`, suffixes added; other scrapers get the escaped form.
 * - `NoTranslation`: names kept, no suffixes; other scrapers get the escaped form.
 */
export type TranslationStrategy =
  | 'UnderscoreEscapingWithSuffixes'
  | 'UnderscoreEscapingWithoutSuffixes'
  | 'NoUTF8EscapingWithSuffixes'
  | 'NoTranslation';

/** The four strategies, in the spec's order; the first is the default. */
export const TRANSLATION_STRATEGIES: readonly TranslationStrategy[] = [
  'UnderscoreEscapingWithSuffixes',
  'UnderscoreEscapingWithoutSuffixes',
  'NoUTF8EscapingWithSuffixes',
  'NoTranslation',
];
