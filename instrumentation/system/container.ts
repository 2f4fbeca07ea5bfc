import { ValueType } from '@opentelemetry/api';
import { ATTR, CONTAINER } from '../semconv';
import { cgroupDir, readCgroup } from './cgroup';
import type { Part, PartContext } from './part';

/**
 * The cgroup v2 view a container gets: memory charged and its limit, CPU time and the CPU quota.
 * Only on pure cgroup v2 hosts; the limits only when set (a `max` limit is no limit).
 */
export function containerPart({ meter, files, linux }: PartContext): Part | undefined {
  const dir = linux ? cgroupDir(files) : undefined;
  if (dir === undefined) return undefined;
  const usage = meter.createObservableUpDownCounter(CONTAINER.memoryUsage, { unit: 'By', valueType: ValueType.INT, description: 'Memory charged to this cgroup (memory.current)' });
  const memLimit = meter.createObservableUpDownCounter(CONTAINER.memoryLimit, { unit: 'By', valueType: ValueType.INT, description: 'cgroup memory limit (memory.max), when set' });
  const cpuTime = meter.createObservableCounter(CONTAINER.cpuTime, { unit: 's', description: 'CPU time used by this cgroup (cpu.stat)' });
  const cpuLimit = meter.createObservableUpDownCounter(CONTAINER.cpuLimit, { unit: '{cpu}', description: 'cgroup CPU quota in CPUs (cpu.max), when set' });
  return {
    observables: [usage, memLimit, cpuTime, cpuLimit],
    observe(result) {
      const c = readCgroup(files, dir);
      if (c.memoryUsage !== undefined) result.observe(usage, c.memoryUsage);
      if (c.memoryLimit !== undefined) result.observe(memLimit, c.memoryLimit);
      if (c.cpuUser !== undefined) result.observe(cpuTime, c.cpuUser, { [ATTR.cpuMode]: 'user' });
      if (c.cpuSystem !== undefined) result.observe(cpuTime, c.cpuSystem, { [ATTR.cpuMode]: 'system' });
      if (c.cpuLimit !== undefined) result.observe(cpuLimit, c.cpuLimit);
    },
  };
}
