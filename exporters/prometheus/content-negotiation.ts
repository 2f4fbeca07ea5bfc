import type { ExpositionFormat } from './prometheus-serializer';

/** The format chosen for one scrape and the Content-Type that names it. */
export interface NegotiatedFormat {
  format: ExpositionFormat;
  contentType: string;
  /** The scraper accepts UTF-8 names (`escaping=allow-utf8`). */
  utf8: boolean;
}

interface Offer {
  format: ExpositionFormat;
  version: string;
  utf8Capable: boolean;
}

// What we can produce for a media type and version. Text 1.0.0 and OpenMetrics 1.0.0 are the
// versions that may carry quoted UTF-8 names; 0.0.4 and OpenMetrics 0.0.1 never do.
function offer(type: string, version: string | undefined): Offer | undefined {
  if (type === 'application/openmetrics-text') {
    if (version === undefined || version === '1.0.0') return { format: 'openmetrics', version: '1.0.0', utf8Capable: true };
    if (version === '0.0.1') return { format: 'openmetrics', version: '0.0.1', utf8Capable: false };
    return undefined;
  }
  if (type === 'text/plain') {
    if (version === undefined || version === '0.0.4') return { format: 'text', version: '0.0.4', utf8Capable: false };
    if (version === '1.0.0') return { format: 'text', version: '1.0.0', utf8Capable: true };
    return undefined;
  }
  if (type === '*/*' || type === 'text/*') return { format: 'text', version: '0.0.4', utf8Capable: false };
  return undefined;
}

const DEFAULT: NegotiatedFormat = { format: 'text', contentType: 'text/plain; version=0.0.4; charset=utf-8', utf8: false };

/**
 * Picks the format by the `Accept` header as Prometheus' content negotiation describes: the
 * highest `q` we support wins, ties go to the earlier entry, and anything we cannot serve (or no
 * header) gets text 0.0.4. Prometheus 2.x sends OpenMetrics 1.0.0 first, so it gets OpenMetrics.
 * The `escaping` parameter is honoured for `allow-utf8`; any other scheme gets `underscores`.
 */
export function negotiateFormat(accept: string | undefined): NegotiatedFormat {
  if (!accept) return DEFAULT;
  let best: { offer: Offer; q: number; escaping?: string } | undefined;
  for (const entry of accept.split(',')) {
    const [rawType, ...rawParams] = entry.split(';');
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    if (!(q > 0)) continue;
    const o = offer(rawType!.trim().toLowerCase(), params.version);
    if (o && (!best || q > best.q)) best = { offer: o, q, escaping: params.escaping };
  }
  if (!best) return DEFAULT;
  const { offer: o, escaping } = best;
  const utf8 = o.utf8Capable && escaping === 'allow-utf8';
  const type = o.format === 'openmetrics' ? 'application/openmetrics-text' : 'text/plain';
  const escapingParam = escaping === undefined ? '' : `; escaping=${utf8 ? 'allow-utf8' : 'underscores'}`;
  return { format: o.format, contentType: `${type}; version=${o.version}; charset=utf-8${escapingParam}`, utf8 };
}
