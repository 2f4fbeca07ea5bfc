import { constants } from 'node:fs';
import { open, unlink } from 'node:fs/promises';

// The spool directory may be shared, and as root a planted symlink would let anyone who can
// write there make us read or overwrite any file. So every open refuses to follow a symlink,
// never blocks (a FIFO opens at once instead of waiting for a writer), and is checked with
// fstat on the descriptor itself: only a regular file of a bounded size is read or changed.
const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;
const NOFOLLOW = O_NOFOLLOW ?? 0;
const NONBLOCK = O_NONBLOCK ?? 0;

/** The bytes of a spool file, or why it was not read. */
export type SpoolFileRead = { data: Buffer } | { refused: string };

/** Reads `path` if it is a regular file (not a symlink, FIFO, device…) of at most `maxBytes`; never follows a link, never throws. */
export async function readSpoolFile(path: string, maxBytes: number): Promise<SpoolFileRead> {
  let handle;
  try {
    handle = await open(path, O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { refused: code === 'ELOOP' ? 'it is a symbolic link' : `cannot open it (${code ?? (err as Error).message})` };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { refused: 'it is not a regular file' };
    if (stat.size > maxBytes) return { refused: `it is ${stat.size} bytes, over the spool's bound of ${maxBytes}` };
    // Exactly the size fstat gave: a file that grows while we read is not read past it.
    const data = Buffer.alloc(stat.size);
    let at = 0;
    while (at < data.length) {
      const { bytesRead } = await handle.read(data, at, data.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return { data: data.subarray(0, at) };
  } catch (err) {
    return { refused: `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * Writes `data` to a file that must not exist yet (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600): a
 * name planted in advance, symlink or not, makes the write fail instead of being followed. A
 * failed write removes what it created. Rejects with the error.
 */
export async function writeNewFile(path: string, data: Buffer): Promise<void> {
  const handle = await open(path, O_WRONLY | O_CREAT | O_EXCL | NOFOLLOW, 0o600);
  let ok = false;
  try {
    await handle.writeFile(data);
    await handle.sync();
    ok = true;
  } finally {
    await handle.close().catch(() => {});
    if (!ok) await unlink(path).catch(() => {});
  }
}

/**
 * Overwrites `bytes` at `offset` in `path`, only when it is a regular file owned by this user
 * (checked on the open descriptor, so the check and the write are about the same file).
 * Resolves false, without writing, for anything else.
 */
export async function patchOwnFile(path: string, offset: number, bytes: Buffer): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, O_WRONLY | NOFOLLOW | NONBLOCK);
  } catch {
    return false;
  }
  try {
    const stat = await handle.stat();
    const uid = typeof process.getuid === 'function' ? process.getuid() : stat.uid;
    if (!stat.isFile() || stat.uid !== uid || stat.size < offset + bytes.length) return false;
    await handle.write(bytes, 0, bytes.length, offset);
    await handle.datasync();
    return true;
  } catch {
    return false;
  } finally {
    await handle.close().catch(() => {});
  }
}
