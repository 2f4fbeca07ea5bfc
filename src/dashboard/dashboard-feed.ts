import type { ServerResponse } from 'node:http';
import type { MetricCursor } from './metric-payload';
import { metricPayload } from './metric-payload';
import type { MetricStore } from './metric-store';
import { overviewPayload } from './overview-payload';

interface Reader {
  res: ServerResponse;
  metric?: string;
  cursor: MetricCursor;
  overviewVersion: number;
  metricVersion: number;
  lastOverview: number;
}

/** Soonest a change is sent after it arrives, in ms: one flush per burst of exports. */
const FLUSH_DELAY_MILLIS = 100;
/** The overview goes out at least this often (it carries last-seen times), in ms. */
const OVERVIEW_EVERY_MILLIS = 5_000;

/**
 * Server-sent events to every open page: `overview` when senders, metrics or series change,
 * and `metric` with only the new points of the metric that page shows. New data schedules one
 * flush; nothing is sent while nothing changes, and no reader polls the whole state.
 */
export class DashboardFeed {
  private readonly readers = new Set<Reader>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: MetricStore, private readonly now: () => number = Date.now) {}

  /** Open readers. */
  get size(): number {
    return this.readers.size;
  }

  /** Starts an event stream on `res`, following `metric` if given. */
  add(res: ServerResponse, metric: string | undefined): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 1000\n\n');
    const reader: Reader = { res, metric, cursor: new Map(), overviewVersion: -1, metricVersion: -1, lastOverview: 0 };
    this.readers.add(reader);
    res.on('close', () => this.readers.delete(reader));
    this.send(reader, true);
  }

  /** Notes new data: flushes soon, once. */
  changed(): void {
    if (this.timer || this.readers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, FLUSH_DELAY_MILLIS);
    this.timer.unref();
  }

  /** Sends what changed to every reader. */
  flush(): void {
    for (const r of this.readers) this.send(r, false);
  }

  /** Ends every stream. */
  close(): void {
    clearTimeout(this.timer);
    for (const r of this.readers) r.res.end();
    this.readers.clear();
  }

  private send(r: Reader, first: boolean): void {
    const now = this.now();
    if (first || r.overviewVersion !== this.store.version || now - r.lastOverview >= OVERVIEW_EVERY_MILLIS) {
      r.overviewVersion = this.store.version;
      r.lastOverview = now;
      event(r.res, 'overview', overviewPayload(this.store, now));
    }
    if (r.metric === undefined) return;
    const metric = this.store.metrics.get(r.metric);
    if (!metric) {
      if (first) event(r.res, 'metric', { name: r.metric, missing: true });
      return;
    }
    if (!first && metric.version === r.metricVersion) return;
    r.metricVersion = metric.version;
    event(r.res, 'metric', metricPayload(metric, r.cursor, now - this.store.limits.windowMillis));
  }
}

function event(res: ServerResponse, name: string, data: object): void {
  res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}
