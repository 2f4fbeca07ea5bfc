import { availableParallelism } from 'node:os';
import type { ProcFiles } from './proc-files';
import { cgroupDir, readCgroup } from './system/cgroup';

/**
 * The CPUs this process may use: the logical CPUs, or the cgroup v2 CPU quota when lower, so
 * utilization reaches 1 when the process uses all it is allowed.
 */
export function cpuCapacity(files: ProcFiles): number {
  const cpus = availableParallelism();
  const dir = process.platform === 'linux' ? cgroupDir(files) : undefined;
  const limit = dir === undefined ? undefined : readCgroup(files, dir).cpuLimit;
  return limit !== undefined && limit < cpus ? limit : cpus;
}
