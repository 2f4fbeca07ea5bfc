/**
 * Collects the pipeline's own stderr lines (`otel-metrics-pipeline: …`) while the doctor runs, so
 * what the exporter says about a test export (a partial success, a failed start) lands in the
 * report instead of between its lines. Other output passes through untouched.
 */
export class StderrCapture {
  readonly lines: string[] = [];
  private original: typeof process.stderr.write | undefined;

  start(): void {
    if (this.original) return;
    const original = process.stderr.write.bind(process.stderr) as typeof process.stderr.write;
    this.original = original;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (!text.startsWith('otel-metrics-pipeline: ')) return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      for (const line of text.split('\n')) if (line) this.lines.push(line.slice('otel-metrics-pipeline: '.length));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stderr.write;
  }

  stop(): void {
    if (this.original) process.stderr.write = this.original;
    this.original = undefined;
  }
}
