// The one place that decides what of a secret-bearing value may be printed. Every line that
// shows a URL, a key=value list or a header set goes through here, and diag runs `redact.text`
// over every line it writes as a last line of defence.

const MASK = '***';

// scheme://userinfo@ — userinfo ends at the last '@' before the path.
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
// Assignments whose value is a secret by name, in free text: token=…, password: …, api_key=…
const SECRET_ASSIGNMENT = /\b((?:[a-z0-9]+[_-])*(?:token|password|passwd|pwd|secret|api[-_]?key|apikey|authorization|auth|credentials?))\b(\s*[=:]\s*)("[^"]*"|'[^']*'|(?:bearer|basic)\s+\S+|[^\s,;&"')]+)/gi;
const AUTH_SCHEME = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi;

/**
 * Redaction of secrets for log lines and error messages: URL userinfo and query values,
 * key=value list values, header values, tokens and passwords.
 */
export const redact = {
  /**
   * A URL with its userinfo and query values masked (`https://***@host/p?token=***`). Works on
   * strings that do not parse as URLs too (`user:pw@host:4317`, a bad port), since those are
   * exactly the ones printed in "invalid value" lines.
   */
  url(raw: string): string {
    const schemeEnd = raw.match(/^[a-z][a-z0-9+.-]*:\/\//i)?.[0].length ?? 0;
    const rest = raw.slice(schemeEnd);
    const authorityEnd = rest.search(/[/?#]/);
    let authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
    let tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
    const at = authority.lastIndexOf('@');
    if (at >= 0) authority = `${MASK}@${authority.slice(at + 1)}`;
    const query = tail.indexOf('?');
    if (query >= 0) {
      const hash = tail.indexOf('#', query);
      const end = hash < 0 ? tail.length : hash;
      tail = tail.slice(0, query + 1) + maskPairs(tail.slice(query + 1, end), '&') + tail.slice(end);
    }
    return raw.slice(0, schemeEnd) + authority + tail;
  },

  /** A `key=value,…` list (OTLP headers, resource attributes) with every value masked. */
  keyValueList(raw: string): string {
    return maskPairs(raw, ',');
  },

  /** Header names with their values masked: `authorization=***, x-tenant=***`. */
  headers(headers: Record<string, unknown>): string {
    return Object.keys(headers).map((name) => `${name}=${MASK}`).join(', ');
  },

  /**
   * Free text (an error message, a log line): URLs as in {@link redact.url}, `Bearer`/`Basic`
   * credentials, and assignments to names like token, password, secret, api_key, auth.
   */
  text(message: string): string {
    if (!/[:=@]|bearer|basic/i.test(message)) return message;
    return message
      .replace(URL_IN_TEXT, (url) => redact.url(url))
      .replace(SECRET_ASSIGNMENT, (_m, name: string, sep: string) => `${name}${sep}${MASK}`)
      .replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${MASK}`);
  },
};

function maskPairs(list: string, separator: string): string {
  return list.split(separator).map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? (pair.trim() === '' ? pair : MASK) : `${pair.slice(0, eq)}=${MASK}`;
  }).join(separator);
}
