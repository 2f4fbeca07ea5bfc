/**
 * `worker` in a `node:cluster` worker, else `primary` (every process that is not a worker may
 * fork some later). Only a process with an IPC channel (forked) loads `node:cluster` to ask;
 * in a worker Node has loaded it already, so a plain app pays nothing.
 */
export function clusterRole(): 'worker' | 'primary' {
  if (typeof process.send !== 'function') return 'primary';
  return (require('node:cluster') as import('node:cluster').Cluster).isWorker ? 'worker' : 'primary';
}
