import type { Attributes, Meter } from '@opentelemetry/api';
import type { CollectionResult, MetricReader } from '@opentelemetry/sdk-metrics';
import type { ClusterConfig } from '../../config/cluster-options';
import { clusterRole } from './cluster-role';

/** A reader whose scrapes can be answered by something else (the Prometheus pull reader). */
interface ScrapeSourceReader extends MetricReader {
  setScrapeSource(source: ((own: () => Promise<CollectionResult>) => Promise<CollectionResult>) | undefined): void;
}

const isScrapeSource = (r: MetricReader): r is ScrapeSourceReader => typeof (r as Partial<ScrapeSourceReader>).setScrapeSource === 'function';

/** What the pipeline does differently in a cluster process. */
export interface ClusterSetup {
  /** Resource attributes under the configured ones: a worker's own `service.instance.id`. */
  resourceAttributes: Attributes;
  /** False in a worker: its pull readers must not listen, the primary serves for all. */
  serve: boolean;
  /** True in a worker when the host (`system`) figures come from the primary alone. */
  skipSystem: boolean;
  /** Hooks the readers up (worker: answer the primary; primary: gather on each scrape); returns the stop function (a worker's sends its last values first). */
  attach(readers: MetricReader[], meter: Meter, instanceId: string | undefined): () => Promise<void>;
}

/**
 * The cluster side of one pipeline. Outside a cluster it only installs a scrape hook that asks,
 * at scrape time, whether this process has workers; the gathering code loads on the first
 * scrape that finds some.
 */
export function clusterSetup(config: ClusterConfig): ClusterSetup {
  const role = config.aggregate ? clusterRole() : 'primary';
  if (role === 'worker') {
    const id = (require('node:crypto') as typeof import('node:crypto')).randomUUID();
    return {
      resourceAttributes: { 'service.instance.id': id },
      serve: false,
      skipSystem: config.systemOnce,
      attach: (readers, _meter, instanceId) => {
        const { answerCollections } = require('./answer-collections') as typeof import('./answer-collections');
        const stops = readers.filter(isScrapeSource).slice(0, 1).map((r) => answerCollections(r, instanceId ?? id));
        return async () => { await Promise.all(stops.map((s) => s())); };
      },
    };
  }
  return {
    resourceAttributes: {},
    serve: true,
    skipSystem: false,
    attach: (readers, meter, instanceId) => {
      if (!config.aggregate) return async () => {};
      const sources = readers.filter(isScrapeSource);
      if (sources.length === 0) return async () => {};
      let gather: import('./cluster-gather').ClusterGather | undefined;
      const source = (own: () => Promise<CollectionResult>): Promise<CollectionResult> => {
        if (!gather) {
          const cluster = (require('node:cluster') as import('node:cluster').Cluster);
          if (!cluster.isPrimary || Object.keys(cluster.workers ?? {}).length === 0) return own();
          const { ClusterGather } = require('./cluster-gather') as typeof import('./cluster-gather');
          gather = new ClusterGather(cluster, {
            timeoutMillis: config.scrapeTimeoutMillis,
            gauges: config.gaugeAggregation,
            instanceId: instanceId ?? 'primary',
            late: meter.createCounter('otel_metrics_pipeline.cluster.late_workers', {
              unit: '{worker}',
              description: 'Cluster workers left out of a scrape because they did not answer within OTEL_METRICS_CLUSTER_SCRAPE_TIMEOUT.',
            }),
          });
        }
        return gather.gather(own);
      };
      for (const r of sources) r.setScrapeSource(source);
      return async () => {
        for (const r of sources) r.setScrapeSource(undefined);
        gather?.close();
      };
    },
  };
}
