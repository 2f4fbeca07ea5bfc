import { escapeLabelValue } from './escape-label-value';

const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Attribute keys to label names: invalid characters become `_`, runs collapse to one `_`, a
 * leading digit gets `key_` (Prometheus' translator does the same), and a key with nothing but
 * underscores left is dropped (null). With `utf8` the key is kept, quoted where needed. The
 * result is the label name as written, ready to be put in a label set.
 */
export class LabelNamer {
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly utf8: boolean) {}

  name(key: string): string | null {
    let result = this.cache.get(key);
    if (result === undefined) {
      result = this.utf8 ? (/^_*$/.test(key) ? null : LEGACY_LABEL.test(key) ? key : `"${escapeLabelValue(key)}"`) : sanitize(key);
      // Bound the cache: keys come from code, but a bug that puts ids in keys must not leak memory.
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, result);
    }
    return result;
  }
}

function sanitize(key: string): string | null {
  let name = key.replace(/[^a-zA-Z0-9_]+/g, '_').replace(/__+/g, '_');
  if (/^_*$/.test(name)) return null;
  if (/^[0-9]/.test(name)) name = `key_${name}`;
  return name;
}
