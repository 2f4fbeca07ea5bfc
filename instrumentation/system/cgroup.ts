import type { ProcFiles } from '../proc-files';

/** Limits and usage of this process's cgroup v2, each undefined when unset (`max`) or unreadable. */
export interface CgroupReading {
  /** Memory limit, bytes (memory.max). */
  memoryLimit?: number;
  /** Memory charged to the cgroup, bytes (memory.current). */
  memoryUsage?: number;
  /** CPU quota in CPUs (cpu.max quota / period), e.g. 1.5. */
  cpuLimit?: number;
  /** CPU time used, seconds (cpu.stat user_usec, system_usec). */
  cpuUser?: number;
  cpuSystem?: number;
}

/**
 * The directory of this process's cgroup v2 relative to the root, or undefined on cgroup v1 or
 * hybrid hosts (where /sys/fs/cgroup is not the unified hierarchy) and off Linux.
 */
export function cgroupDir(files: ProcFiles): string | undefined {
  const self = files.read('proc/self/cgroup');
  if (self === undefined) return undefined;
  const line = self.split('\n').find((l) => l.startsWith('0::'));
  if (line === undefined) return undefined;
  // On a pure v2 host /sys/fs/cgroup itself lists the controllers; a hybrid host has no such file there.
  if (files.list('sys/fs/cgroup')?.includes('cgroup.controllers') !== true) return undefined;
  return `sys/fs/cgroup${line.slice(3).trim().replace(/\/$/, '')}`;
}

function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t === 'max' || t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Reads memory.max, memory.current, cpu.max and cpu.stat of the cgroup at `dir`, once each. */
export function readCgroup(files: ProcFiles, dir: string): CgroupReading {
  const out: CgroupReading = {};
  out.memoryLimit = number(files.read(`${dir}/memory.max`));
  out.memoryUsage = number(files.read(`${dir}/memory.current`));
  const cpuMax = files.read(`${dir}/cpu.max`)?.trim().split(/\s+/);
  if (cpuMax && cpuMax[0] !== 'max') {
    const quota = Number(cpuMax[0]);
    const period = Number(cpuMax[1] ?? 100000);
    if (quota > 0 && period > 0) out.cpuLimit = quota / period;
  }
  const stat = files.read(`${dir}/cpu.stat`);
  if (stat !== undefined) {
    for (const line of stat.split('\n')) {
      const [key, value] = line.split(' ');
      if (key === 'user_usec') out.cpuUser = Number(value) / 1e6;
      if (key === 'system_usec') out.cpuSystem = Number(value) / 1e6;
    }
  }
  return out;
}
