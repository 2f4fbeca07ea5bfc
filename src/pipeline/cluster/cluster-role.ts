/**
 * `worker` in a `node:cluster` worker whose primary is an app (that may run the preload), else
 * `primary` (every process that is not a worker may fork some later). Only a process with an
 * IPC channel (forked) loads `node:cluster` to ask; in a worker Node has loaded it already, so a
 * plain app pays nothing. pm2's cluster mode forks from its daemon, which never serves our
 * metrics, so its workers (`pm_id` set) keep serving their own.
 */
export function clusterRole(env: NodeJS.ProcessEnv = process.env): 'worker' | 'primary' {
  if (typeof process.send !== 'function' || env.pm_id !== undefined) return 'primary';
  return (require('node:cluster') as import('node:cluster').Cluster).isWorker ? 'worker' : 'primary';
}
