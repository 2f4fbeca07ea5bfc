import { parseKeyValueList } from '../config/key-value-list';

// A local stand-in until the shared src/redact.ts lands; the doctor must never print a secret.

/** What replaces a secret in the doctor's output. */
export const REDACTED = '[redacted]';

// Variables whose whole value is a secret, by name (plug-ins' tokens and passwords included).
const SECRET_NAME = /(HEADERS|TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|AUTH|AUTHORIZATION|CREDENTIALS?)$/;

const COMMON = new Set(['true', 'false', 'none', 'null', 'http', 'https', 'grpc', 'gzip', 'localhost', 'default']);

/** True when a variable's value must never be shown: headers, tokens, passwords. */
export function isSecretVariable(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** `url` with userinfo and query values replaced; a non-URL is returned with any `user:pass@` hidden. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = 'REDACTED';
      parsed.password = '';
    }
    for (const key of [...parsed.searchParams.keys()]) parsed.searchParams.set(key, 'REDACTED');
    // URL adds a `/` to a bare origin (gRPC endpoints have none); keep what was written.
    const href = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*$/i.test(url) ? parsed.href.replace(/\/$/, '') : parsed.href;
    return href.replace(/REDACTED/g, REDACTED);
  } catch {
    return scrubUserinfo(url);
  }
}

/** Header names with every value hidden, e.g. `authorization=[redacted], x-tenant=[redacted]`. */
export function redactHeaders(headers: Record<string, string>): string {
  const keys = Object.keys(headers);
  return keys.length === 0 ? 'none' : keys.map((k) => `${k}=${REDACTED}`).join(', ');
}

/** Hides `scheme://user:pass@` wherever it appears in free text. */
export function scrubUserinfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@"]*@/gi, `$1${REDACTED}@`);
}

/**
 * Every secret the environment holds: header values, URL userinfo and query values, resource
 * attribute values (they can carry tokens) and whole values of secret-named variables. The
 * report is scrubbed of each of them at the end, as a net under the structural redaction.
 */
export function secretsIn(env: NodeJS.ProcessEnv): string[] {
  const secrets = new Set<string>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('OTEL_') || raw === undefined || raw.trim() === '') continue;
    const value = raw.trim();
    if (name.endsWith('HEADERS') || name === 'OTEL_RESOURCE_ATTRIBUTES') {
      const { values } = parseKeyValueList(value);
      for (const [k, v] of Object.entries(values)) if (k !== 'service.name') secrets.add(v);
      if (name.endsWith('HEADERS')) secrets.add(value);
    } else if (isSecretVariable(name)) {
      secrets.add(value);
    }
    for (const part of urlSecrets(value)) secrets.add(part);
  }
  // Short or common values would blot out ordinary words; structural redaction already hides them.
  return [...secrets].filter((s) => s.length >= 4 && !COMMON.has(s.toLowerCase())).sort((a, b) => b.length - a.length);
}

function urlSecrets(value: string): string[] {
  const out: string[] = [];
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(value) ?? /^([^/@:]*:[^/@]*)@/.exec(value);
  if (match?.[1]) {
    out.push(match[1]);
    for (const piece of match[1].split(':')) {
      out.push(piece);
      try { out.push(decodeURIComponent(piece)); } catch { /* not percent-encoded */ }
    }
  }
  try {
    for (const v of new URL(value).searchParams.values()) out.push(v);
  } catch { /* not a URL */ }
  return out;
}

/** `text` with every known secret and any URL userinfo replaced. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = scrubUserinfo(text);
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
}
