/**
 * A gauge (or up-down counter) named `….count` in OTel semconv (`process.thread.count`,
 * unit `{thread}`) would be exposed as `process_thread_count`, which is what the Collector's
 * translator writes, but Prometheus reserves `_count` for histograms and summaries and
 * `promtool check metrics` rejects it. Prometheus' own convention for such a gauge is the plural
 * of the thing counted (`go_threads`, `process_open_fds`), and semconv names that thing in the
 * unit's annotation. So the trailing `count` is replaced by the annotation in the plural, joined
 * onto the name when the name already ends in it:
 * `process.thread.count {thread}` → `process_threads`,
 * `process.unix.file_descriptor.count {file_descriptor}` → `process_unix_file_descriptors`,
 * `system.cpu.logical.count {cpu}` → `system_cpu_logical_cpus`; without an annotation the
 * last word before `count` takes the plural (`queue.count` → `queues`).
 * Returns `tokens` unchanged when they do not end in `count`, or when `count` is all there is.
 */
export function countGaugeTokens(tokens: readonly string[], unit: string): string[] {
  if (tokens.length < 2 || tokens.at(-1) !== 'count') return [...tokens];
  const rest = tokens.slice(0, -1);
  const annotation = /^\{([^}]*)\}$/.exec(unit.trim())?.[1] ?? '';
  const thing = annotation.split(/[^a-zA-Z0-9:]+/).filter((t) => t !== '');
  const endsWithThing = thing.length > 0 && thing.length <= rest.length && thing.every((t, i) => rest[rest.length - thing.length + i] === t);
  if (thing.length === 0 || endsWithThing) return [...rest.slice(0, -1), plural(rest.at(-1)!)];
  return [...rest, ...thing.slice(0, -1), plural(thing.at(-1)!)];
}

// English plural, enough for the things semconv counts (threads, processes, entries).
function plural(word: string): string {
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}
