import { statfsSync } from 'node:fs';
import { ValueType } from '@opentelemetry/api';
import { ATTR, SYSTEM } from '../semconv';
import { fields, lines, type Part, type PartContext } from './part';

// Filesystems that are not storage: kernel interfaces, memory-backed or automount placeholders.
const PSEUDO = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'ramfs', 'cgroup', 'cgroup2', 'mqueue', 'securityfs', 'debugfs',
  'tracefs', 'pstore', 'bpf', 'autofs', 'hugetlbfs', 'fusectl', 'configfs', 'binfmt_misc', 'rpc_pipefs', 'nsfs',
  'efivarfs', 'selinuxfs', 'squashfs', 'fuse.lxcfs', 'fuse.gvfsd-fuse', 'fuse.portal', 'nfsd',
]);
// Storage whose source is not a block device path (pools, network shares, a container's root).
const NO_DEVICE_PATH = new Set(['zfs', 'nfs', 'nfs4', 'cifs', 'smb3', 'ceph', 'glusterfs', 'overlay', 'fuse.sshfs']);

/** How long the parsed mount table is reused, ms. */
const MOUNTS_TTL_MILLIS = 60_000;

interface Mount { device: string; mountpoint: string; type: string; mode: 'ro' | 'rw' }

// /proc/self/mounts escapes spaces and tabs in paths as octal.
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Real (storage-backed) mounts, first mount per mountpoint, from /proc/self/mounts text. */
export function realMounts(text: string): Mount[] {
  const seen = new Map<string, Mount>();
  for (const line of lines(text)) {
    const [device, mp, type, options] = fields(line);
    if (PSEUDO.has(type) || !(device.startsWith('/') || NO_DEVICE_PATH.has(type))) continue;
    const mountpoint = unescape(mp);
    // Later mounts on the same point hide earlier ones; the last one is what statfs sees.
    seen.set(mountpoint, { device: unescape(device), mountpoint, type, mode: options.split(',').includes('ro') ? 'ro' : 'rw' });
  }
  return [...seen.values()];
}

/**
 * Usage (used, free to unprivileged users, reserved for root), utilization (used / (used + free),
 * as `df` computes Use%) and size of every real mount. statfs is a blocking call: exclude
 * network mounts that may hang with OTEL_METRICS_SYSTEM_MOUNTS.
 */
export function filesystemPart({ meter, files, linux, mounts }: PartContext): Part {
  const usage = meter.createObservableUpDownCounter(SYSTEM.filesystemUsage, { unit: 'By', valueType: ValueType.INT, description: 'Filesystem space by state' });
  const util = meter.createObservableGauge(SYSTEM.filesystemUtilization, { unit: '1', description: 'Used share of the space available to users' });
  const limit = meter.createObservableUpDownCounter(SYSTEM.filesystemLimit, { unit: 'By', valueType: ValueType.INT, description: 'Filesystem size' });
  // The mount table rarely changes; reading it once a minute instead of every collection saves a file read.
  let table: { at: number; mounts: Mount[] } | undefined;
  const currentMounts = (): Mount[] | undefined => {
    const now = performance.now();
    if (!table || now - table.at >= MOUNTS_TTL_MILLIS) {
      const text = files.read('proc/self/mounts');
      if (text === undefined) return undefined;
      table = { at: now, mounts: realMounts(text) };
    }
    return table.mounts;
  };
  return {
    observables: [usage, util, limit],
    observe(result) {
      if (!linux) return;
      for (const m of currentMounts() ?? []) {
        if (!mounts(m.mountpoint)) continue;
        let s;
        try {
          s = statfsSync(m.mountpoint);
        } catch (err) {
          files.skip(`statfs ${m.mountpoint}`, err);
          continue;
        }
        const attrs = { [ATTR.device]: m.device, [ATTR.fsMount]: m.mountpoint, [ATTR.fsType]: m.type, [ATTR.fsMode]: m.mode };
        const used = (s.blocks - s.bfree) * s.bsize;
        const free = s.bavail * s.bsize;
        result.observe(usage, used, { ...attrs, [ATTR.fsState]: 'used' });
        result.observe(usage, free, { ...attrs, [ATTR.fsState]: 'free' });
        result.observe(usage, (s.bfree - s.bavail) * s.bsize, { ...attrs, [ATTR.fsState]: 'reserved' });
        result.observe(limit, s.blocks * s.bsize, attrs);
        if (used + free > 0) result.observe(util, used / (used + free), attrs);
      }
    },
  };
}
