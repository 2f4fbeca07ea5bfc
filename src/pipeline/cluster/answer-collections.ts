import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { IPC_KEY, isOurs, type CollectAnswer } from './ipc-messages';
import { toWire } from './wire-metrics';

/**
 * A cluster worker's side of a scrape: on the primary's request, collects `reader`
 * (cumulative) and sends the points back over the cluster IPC channel. The channel is the
 * cluster's and already keeps the worker alive; this listener adds no handle of its own.
 * Returns the function that stops answering and, while the channel is still open (SIGTERM,
 * `shutdown()`), sends a last unasked answer (id 0): the primary carries those values when the
 * worker is gone, so what it counted after the last scrape is not lost.
 */
export function answerCollections(reader: MetricReader, instanceId: string): () => Promise<void> {
  const onMessage = (msg: unknown): void => {
    if (!isOurs(msg, 'collect')) return;
    reader.collect().then((result) => {
      const answer: CollectAnswer = { [IPC_KEY]: 'metrics', id: msg.id, instanceId, scopes: toWire(result.resourceMetrics.scopeMetrics) };
      // The primary may be gone or the channel closing; then there is no one to answer.
      if (process.connected) process.send?.(answer, undefined, undefined, () => {});
    }, () => {});
  };
  process.on('message', onMessage);
  return async () => {
    process.off('message', onMessage);
    if (!process.connected) return;
    try {
      const result = await reader.collect();
      const last: CollectAnswer = { [IPC_KEY]: 'metrics', id: 0, instanceId, scopes: toWire(result.resourceMetrics.scopeMetrics) };
      await new Promise<void>((resolve) => {
        if (!process.connected || !process.send?.(last, undefined, undefined, () => resolve())) resolve();
      });
    } catch {
      /* a reader already shut down, or a channel closing: nothing more to send */
    }
  };
}
