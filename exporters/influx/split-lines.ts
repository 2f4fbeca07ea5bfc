/**
 * Splits lines into request bodies of at most `maxLines` lines and `maxBytes` UTF-8 bytes each
 * (newline-terminated). A single line longer than `maxBytes` goes alone: the server decides.
 */
export function splitLines(lines: readonly string[], maxLines: number, maxBytes: number): string[] {
  const bodies: string[] = [];
  let body = '';
  let count = 0;
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (count > 0 && (count >= maxLines || bytes + size > maxBytes)) {
      bodies.push(body);
      body = '';
      count = bytes = 0;
    }
    body += line + '\n';
    count++;
    bytes += size;
  }
  if (count > 0) bodies.push(body);
  return bodies;
}

/** Halves a body at a line boundary (for a 413 answer); undefined when it holds one line. */
export function halveBody(body: string): [string, string] | undefined {
  const lines = body.split('\n');
  lines.pop();
  if (lines.length < 2) return undefined;
  const mid = Math.ceil(lines.length / 2);
  return [lines.slice(0, mid).join('\n') + '\n', lines.slice(mid).join('\n') + '\n'];
}
