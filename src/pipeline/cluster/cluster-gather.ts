import type { Counter } from '@opentelemetry/api';
import type { Cluster, Worker } from 'node:cluster';
import type { CollectionResult } from '@opentelemetry/sdk-metrics';
import type { GaugeAggregation } from '../../config/cluster-options';
import { CarriedTotals } from './carried-totals';
import { IPC_KEY, isOurs, type CollectAnswer, type CollectRequest } from './ipc-messages';
import { mergeClusterMetrics } from './merge-cluster-metrics';
import type { MetricsPart } from './metrics-part';
import { fromWire } from './wire-metrics';

/** What the primary needs to answer a scrape for the whole cluster. */
export interface ClusterGatherOptions {
  /** How long a scrape waits for the workers, in ms (`OTEL_METRICS_CLUSTER_SCRAPE_TIMEOUT`). */
  timeoutMillis: number;
  gauges: Record<string, GaugeAggregation>;
  /** The primary's own label for its per-process series. */
  instanceId: string;
  /** Counts the workers that did not answer in time. */
  late: Counter;
}

interface Round {
  waiting: Set<number>;
  answers: Map<number, MetricsPart>;
  done: () => void;
}

/**
 * The primary's side of a cluster scrape: asks every connected worker over the cluster IPC
 * channel for its cumulative collection, waits at most the timeout, and merges the answers
 * with its own and the carried totals into one view. Listens on the cluster object only
 * (the workers' channels are the cluster's to keep alive).
 */
export class ClusterGather {
  private seq = 0;
  private readonly rounds = new Map<number, Round>();
  private readonly totals: CarriedTotals;

  constructor(private readonly cluster: Cluster, private readonly options: ClusterGatherOptions) {
    this.totals = new CarriedTotals(options.gauges);
    cluster.on('message', this.onMessage);
    cluster.on('exit', this.onExit);
  }

  /** One scrape's answer: every worker's collection (or its stand-in) merged over `own`. */
  async gather(own: () => Promise<CollectionResult>): Promise<CollectionResult> {
    const workers = Object.values(this.cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
    const id = ++this.seq;
    const round: Round = { waiting: new Set(workers.map((w) => w.id)), answers: new Map(), done: () => {} };
    const answered = new Promise<void>((resolve) => { round.done = resolve; });
    this.rounds.set(id, round);
    const request: CollectRequest = { [IPC_KEY]: 'collect', id };
    for (const w of workers) {
      try {
        // A worker that is going away fails the send; it is then simply late.
        w.send(request, () => {});
      } catch {
        /* counted as late below */
      }
    }
    let timer: NodeJS.Timeout | undefined;
    if (round.waiting.size > 0) {
      await Promise.race([answered, new Promise<void>((resolve) => { timer = setTimeout(resolve, this.options.timeoutMillis); timer.unref(); })]);
    }
    clearTimeout(timer);
    this.rounds.delete(id);
    // Counted before the primary collects, so this very scrape already shows it.
    if (round.waiting.size > 0) this.options.late.add(round.waiting.size);
    const result = await own();
    const parts: MetricsPart[] = [{ instanceId: this.options.instanceId, scopeMetrics: result.resourceMetrics.scopeMetrics }];
    parts.push(...round.answers.values(), ...this.totals.standIns(new Set(round.answers.keys())), this.totals.part());
    return { resourceMetrics: { resource: result.resourceMetrics.resource, scopeMetrics: mergeClusterMetrics(parts, this.options.gauges) }, errors: result.errors };
  }

  /** Stops listening. */
  close(): void {
    this.cluster.off('message', this.onMessage);
    this.cluster.off('exit', this.onExit);
    for (const round of this.rounds.values()) round.done();
  }

  private readonly onMessage = (worker: Worker, msg: unknown): void => {
    if (!isOurs(msg, 'metrics')) return;
    // A worker's last answer as it shuts down: kept for the carried total once it is gone.
    if (msg.id === 0) {
      this.totals.answered(worker.id, { instanceId: msg.instanceId, scopeMetrics: fromWire(msg.scopes) });
      return;
    }
    const round = this.rounds.get((msg as CollectAnswer).id);
    if (!round || !round.waiting.delete(worker.id)) return;
    const part: MetricsPart = { instanceId: msg.instanceId, scopeMetrics: fromWire(msg.scopes) };
    round.answers.set(worker.id, part);
    this.totals.answered(worker.id, part);
    if (round.waiting.size === 0) round.done();
  };

  private readonly onExit = (worker: Worker): void => {
    this.totals.departed(worker.id);
    for (const round of this.rounds.values()) {
      if (round.waiting.delete(worker.id) && round.waiting.size === 0) round.done();
    }
  };
}
