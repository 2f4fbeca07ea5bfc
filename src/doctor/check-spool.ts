import { constants, promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { DELIVERED_MARK, STATE_OFFSET } from '../../exporters/delivery/spool-codec';
import type { Check } from './doctor-report';
import { spoolOwnerAlive } from '../../exporters/delivery/spool-owner-lock';

/** Spool files of one exporter's subdirectory, grouped by the pipeline instance that wrote them. */
interface Group { exporter: string; owner: string; alive: boolean; files: number; bytes: number; oldest: string; uids: number[] }

/**
 * The spool directory (`OTEL_METRICS_QUEUE_DIR`): writable (by writing and removing a file, since
 * permission bits lie on read-only mounts), free space against the queue's byte bound, and the
 * batches waiting: per exporter subdirectory, per writing instance (running: it still owns them;
 * gone: the next start replays them), with their owner uids, which this user may not be able to
 * replay. Read-only: no file is claimed, moved or deleted, no stale lock removed.
 */
export async function checkSpool(directory: string, maxBytes: number): Promise<Check[]> {
  const dir = resolve(directory);
  const checks: Check[] = [];
  const existing = await nearestExisting(dir);
  const stat = await fs.stat(existing);
  if (existing === dir && !stat.isDirectory()) return [{ name: 'directory', status: 'fail', detail: `${dir} is not a directory: the pipeline runs without the spool`, data: { exists: true, writable: false } }];
  const probe = join(existing, `.otel-metrics-doctor-${process.pid}.tmp`);
  const writable = await fs.writeFile(probe, 'x').then(() => fs.unlink(probe)).then(() => undefined, (err: NodeJS.ErrnoException) => err.code ?? 'error');
  const created = existing === dir ? '' : ` (missing: created at start-up under ${existing})`;
  checks.push(writable === undefined
    ? { name: 'directory', status: 'ok', detail: `${dir} is writable${created}`, data: { exists: existing === dir, writable: true } }
    : { name: 'directory', status: 'fail', detail: `${existing} is not writable by uid ${process.getuid?.() ?? '?'} (${writable}): the pipeline runs without the spool`, data: { exists: existing === dir, writable: false, error: writable } });
  try {
    const s = await fs.statfs(existing);
    const free = s.bavail * s.bsize;
    const enough = free >= maxBytes;
    checks.push({ name: 'space', status: enough ? 'ok' : 'warn', detail: `${mib(free)} free${enough ? '' : `, less than the queue may hold (${mib(maxBytes)}, OTEL_METRICS_QUEUE_MAX_BYTES)`}`, data: { freeBytes: free, maxBytes } });
  } catch (err) {
    checks.push({ name: 'space', status: 'skip', detail: `free space unknown (${(err as Error).message})` });
  }
  if (existing === dir) checks.push(await waitingFiles(dir));
  return checks;
}

async function waitingFiles(dir: string): Promise<Check> {
  const groups = new Map<string, Group>();
  const me = process.getuid?.();
  let notRegular = 0;
  for (const sub of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!sub.isDirectory()) continue;
    const subdir = join(dir, sub.name);
    for (const name of (await fs.readdir(subdir).catch(() => [] as string[])).sort()) {
      if (!name.endsWith('.spool')) continue;
      const path = join(subdir, name);
      // lstat, and no open of anything but a regular file: a FIFO would block, a link may lead anywhere.
      const st = await fs.lstat(path).catch(() => undefined);
      if (st && !st.isFile()) notRegular++;
      if (!st || !st.isFile() || await delivered(path)) continue;
      const owner = name.split('-')[1] ?? '';
      const key = `${sub.name}/${owner}`;
      const g = groups.get(key) ?? { exporter: sub.name, owner, alive: await spoolOwnerAlive(subdir, owner, { timeoutMillis: 500 }), files: 0, bytes: 0, oldest: st.mtime.toISOString(), uids: [] };
      g.files++;
      g.bytes += st.size;
      if (st.mtime.toISOString() < g.oldest) g.oldest = st.mtime.toISOString();
      if (!g.uids.includes(st.uid)) g.uids.push(st.uid);
      groups.set(key, g);
    }
  }
  const list = [...groups.values()];
  const odd = notRegular > 0 ? `${notRegular} entr${notRegular === 1 ? 'y is' : 'ies are'} named *.spool but not regular files (links, FIFOs…): the next start sets them aside as *.bad` : '';
  if (list.length === 0) return { name: 'files', status: odd ? 'warn' : 'ok', detail: odd || 'no batches waiting', data: { groups: [], notRegular } };
  const foreign = me !== undefined && me !== 0 && list.some((g) => g.uids.some((u) => u !== me));
  const parts = list.map((g) => `${g.files} file(s), ${g.bytes} bytes for ${g.exporter} from instance ${g.owner} (${g.alive ? 'running: it still owns them' : 'gone: the next start replays them'}), owner uid ${g.uids.join('/')}${g.uids.includes(me ?? -1) ? ` (${userInfo().username})` : ''}, oldest ${g.oldest}`);
  return {
    name: 'files',
    status: foreign || odd ? 'warn' : 'ok',
    detail: `${parts.join('; ')}${foreign ? `; some files belong to another user: uid ${me} may be unable to replay or delete them` : ''}${odd ? `; ${odd}` : ''}`,
    data: { groups: list, notRegular },
  };
}

// A file marked delivered is deleted, not replayed, at the next start: it is not waiting.
async function delivered(path: string): Promise<boolean> {
  const handle = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!handle) return false;
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(1), 0, 1, STATE_OFFSET);
    return bytesRead === 1 && buffer[0] === DELIVERED_MARK[0];
  } finally {
    await handle.close();
  }
}

async function nearestExisting(path: string): Promise<string> {
  for (let p = path; ; p = dirname(p)) {
    if (await fs.access(p, constants.F_OK).then(() => true, () => false)) return p;
    if (dirname(p) === p) return p;
  }
}

function mib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
