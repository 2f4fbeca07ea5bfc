/** Where the stdout exporters print one chunk of text. */
export type WriteFn = (text: string) => void;

const guarded = new WeakSet<NodeJS.WriteStream>();

/**
 * Writes to stdout so that a closed pipe (`app | head -c 10`: EPIPE) or a full non-blocking
 * one (EAGAIN) never becomes the app's exception: an asynchronous stream error would be
 * emitted as an unhandled 'error' event and kill the process. We add one quiet error listener
 * the first time we write, and only if the app has none of its own.
 */
export const stdoutWrite: WriteFn = (text) => guardedWrite(process.stdout, text);

/** The same guard for stderr, used by our diagnostic lines. */
export const stderrWrite: WriteFn = (text) => guardedWrite(process.stderr, text);

function guardedWrite(stream: NodeJS.WriteStream, text: string): void {
  if (!guarded.has(stream)) {
    guarded.add(stream);
    if (stream.listenerCount('error') === 0) stream.on('error', () => {});
  }
  if (stream.destroyed || stream.writableEnded) return;
  try {
    stream.write(text);
  } catch {
    /* nowhere left to write it */
  }
}
