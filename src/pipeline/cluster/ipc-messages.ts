import type { WireScopes } from './wire-metrics';

/** The key our cluster IPC messages carry, so the app's own messages are never mistaken for ours (and ours are easy to skip). */
export const IPC_KEY = 'otelMetricsPipeline';

/** Primary to worker: collect now and answer with request `id`. */
export interface CollectRequest {
  [IPC_KEY]: 'collect';
  id: number;
}

/** Worker to primary: its cumulative collection for request `id`. */
export interface CollectAnswer {
  [IPC_KEY]: 'metrics';
  id: number;
  instanceId: string;
  scopes: WireScopes;
}

/** True when `msg` is one of ours of the given kind. */
export function isOurs<K extends 'collect' | 'metrics'>(msg: unknown, kind: K): msg is K extends 'collect' ? CollectRequest : CollectAnswer {
  return typeof msg === 'object' && msg !== null && (msg as Record<string, unknown>)[IPC_KEY] === kind;
}
