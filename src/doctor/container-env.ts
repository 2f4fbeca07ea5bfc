import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Why this process looks like it runs in a container, or undefined: `/.dockerenv`,
 * `KUBERNETES_SERVICE_HOST`, or a container runtime named in `/proc/1/cgroup`. `root` lets
 * tests point at a fake file system.
 */
export function containerHint(env: NodeJS.ProcessEnv = process.env, root = '/'): string | undefined {
  if (env.KUBERNETES_SERVICE_HOST) return 'KUBERNETES_SERVICE_HOST is set';
  if (existsSync(join(root, '.dockerenv'))) return '/.dockerenv exists';
  for (const file of ['proc/1/cgroup', 'proc/self/cgroup']) {
    try {
      const match = /docker|kubepods|containerd|libpod|lxc/.exec(readFileSync(join(root, file), 'utf8'));
      if (match) return `/${file} names ${match[0]}`;
    } catch {
      /* not Linux, or not readable */
    }
  }
  return undefined;
}
