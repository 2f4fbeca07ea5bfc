import { parseKeyValueList } from './key-value-list';

// The one place that decides what of a secret-bearing value may be printed. Every line that
// shows a URL, a key=value list or a header set goes through here, diag runs `redact.text` over
// every line it writes, and the doctor scrubs its report with `redact.secretsIn` + `redact.scrub`.

const MASK = '[redacted]';

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
// Assignments whose value is a secret by name, in free text: token=…, password: …, api_key=…
const SECRET_ASSIGNMENT = /\b((?:[a-z0-9]+[_-])*(?:token|password|passwd|pwd|secret|api[-_]?key|apikey|authorization|auth|credentials?))\b(\s*[=:]\s*)("[^"]*"|'[^']*'|(?:bearer|basic)\s+\S+|[^\s,;&"')]+)/gi;
const AUTH_SCHEME = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
// Variables whose whole value is a secret, by name (plug-ins' tokens and passwords included).
const SECRET_NAME = /(HEADERS|TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|AUTH|AUTHORIZATION|CREDENTIALS?)$/;
// Values too common to scrub wherever they appear; structural redaction already hides them.
const COMMON = new Set(['true', 'false', 'none', 'null', 'http', 'https', 'grpc', 'gzip', 'localhost', 'default']);

/**
 * Redaction of secrets for log lines, error messages and the doctor's report: URL userinfo and
 * query values, key=value list values, header values, tokens and passwords, replaced by `[redacted]`.
 */
export const redact = {
  /** What replaces a secret. */
  mask: MASK,

  /**
   * A URL with its userinfo and query values masked (`https://[redacted]@host/p?token=[redacted]`).
   * Works on strings that do not parse as URLs too (`user:pw@host:4317`, a bad port), since
   * those are exactly the ones printed in "invalid value" lines.
   */
  url(raw: string): string {
    const schemeEnd = raw.match(/^[a-z][a-z0-9+.-]*:\/\//i)?.[0].length ?? 0;
    let rest = raw.slice(schemeEnd);
    // The raw string, not a URL object: a password may hold `/`, `?`, `#` or `@`, which end the
    // authority for a parser, so everything up to the last `@` is userinfo, whatever it holds.
    const at = userinfoEnd(rest);
    let head = '';
    if (at >= 0) {
      head = `${MASK}@`;
      rest = rest.slice(at + 1);
    }
    const authorityEnd = rest.search(/[/?#]/);
    const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
    let tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
    const query = tail.indexOf('?');
    if (query >= 0) {
      const hash = tail.indexOf('#', query);
      const end = hash < 0 ? tail.length : hash;
      tail = tail.slice(0, query + 1) + maskPairs(tail.slice(query + 1, end), '&') + tail.slice(end);
    }
    return raw.slice(0, schemeEnd) + head + authority + tail;
  },

  /** A `key=value,…` list (OTLP headers, resource attributes) with every value masked. */
  keyValueList(raw: string): string {
    return maskPairs(raw, ',');
  },

  /** Header names with their values masked: `authorization=[redacted], x-tenant=[redacted]`, or `none`. */
  headers(headers: Record<string, unknown>): string {
    const names = Object.keys(headers);
    return names.length === 0 ? 'none' : names.map((name) => `${name}=${MASK}`).join(', ');
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

  /** True when a variable's whole value must never be shown: headers, tokens, passwords. */
  isSecretVariable(name: string): boolean {
    return SECRET_NAME.test(name);
  },

  /**
   * Every secret value an environment holds: header values, URL userinfo and query values,
   * resource attribute values, whole values of secret-named variables; longest first. A net
   * under the structural redaction for output that echoes what others said (the doctor).
   */
  secretsIn(env: NodeJS.ProcessEnv): string[] {
    const secrets = new Set<string>();
    for (const [name, raw] of Object.entries(env)) {
      if (!name.startsWith('OTEL_') || raw === undefined || raw.trim() === '') continue;
      const value = raw.trim();
      if (name.endsWith('HEADERS') || name === 'OTEL_RESOURCE_ATTRIBUTES') {
        for (const [k, v] of Object.entries(parseKeyValueList(value).values)) if (k !== 'service.name') secrets.add(v);
        if (name.endsWith('HEADERS')) secrets.add(value);
      } else if (redact.isSecretVariable(name)) {
        secrets.add(value);
      }
      for (const part of urlSecrets(value)) secrets.add(part);
    }
    // Short or common values would blot out ordinary words.
    return [...secrets].filter((s) => s.length >= 4 && !COMMON.has(s.toLowerCase())).sort((a, b) => b.length - a.length);
  },

  /** `text` with every one of `secrets` masked, then as {@link redact.text} makes it. */
  scrub(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join(MASK);
    return redact.text(out);
  },
};

function maskPairs(list: string, separator: string): string {
  return list.split(separator).map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? (pair.trim() === '' ? pair : MASK) : `${pair.slice(0, eq)}=${MASK}`;
  }).join(separator);
}

function urlSecrets(value: string): string[] {
  const out: string[] = [];
  const schemeEnd = value.match(/^[a-z][a-z0-9+.-]*:\/\//i)?.[0].length ?? 0;
  const rest = value.slice(schemeEnd);
  const at = userinfoEnd(rest);
  const userinfo = at >= 0 ? rest.slice(0, at) : '';
  // Without a scheme only `user:password@host` counts: `team@example` is no credential.
  if (userinfo && (schemeEnd > 0 || userinfo.includes(':'))) {
    out.push(userinfo);
    const colon = userinfo.indexOf(':');
    for (const piece of colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)]) {
      out.push(piece);
      try { out.push(decodeURIComponent(piece)); } catch { /* not percent-encoded */ }
    }
  }
  try {
    for (const v of new URL(value).searchParams.values()) out.push(v);
  } catch { /* not a URL */ }
  return out;
}

// Where the userinfo of a URL without its scheme ends: the last `@` (a host holds none, and a
// path with one is rare; hiding it too is the safe mistake). -1 when there is none.
function userinfoEnd(rest: string): number {
  return rest.lastIndexOf('@');
}
