import { metrics } from '@opentelemetry/api';
import { ThreadMeterProvider } from './thread-meter-provider';
import { THREADS_CHANNEL, type ThreadPoints } from './thread-points';

/** How often a thread posts what it recorded, in ms; posting only when there is something. */
export const THREAD_POST_INTERVAL_MILLIS = 1000;

/**
 * In a worker thread: installs the light provider as the global one and posts its points to
 * the main thread's pipeline every second and when the thread ends (its `exit` event runs for
 * a natural end, `process.exit()` and an uncaught exception; `worker.terminate()` gives no
 * such chance). Neither the channel nor the timer keeps the thread alive.
 */
export function startThreadMetrics(): void {
  const channel = new BroadcastChannel(THREADS_CHANNEL);
  (channel as unknown as { unref(): void }).unref();
  const post = (): void => {
    try {
      const instruments = provider.take();
      if (instruments.length > 0) channel.postMessage({ otelMetricsPipelineThread: 1, instruments } satisfies ThreadPoints);
    } catch {
      /* a closed channel: nowhere to deliver */
    }
  };
  const provider = new ThreadMeterProvider(post);
  if (!metrics.setGlobalMeterProvider(provider)) return;
  setInterval(post, THREAD_POST_INTERVAL_MILLIS).unref();
  process.on('exit', post);
}
