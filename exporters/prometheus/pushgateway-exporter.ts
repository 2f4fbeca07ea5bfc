import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { standaloneAttempt, type Attempt, type CancellableExporter } from '../delivery/attempt';
import { createHttpSender, type HttpSender } from '../http/http-sender';
import type { PushgatewayConfig } from './pushgateway-config';
import { pushgatewayPath } from './pushgateway-path';
import { PrometheusSerializer } from './prometheus-serializer';

/**
 * Pushes the collection to a Prometheus Pushgateway in text 0.0.4, serialized by the same
 * serializer as `/metrics`. One POST per export (the Pushgateway then replaces the pushed
 * names in the group). Failures come back as ExportError; the delivery chain retries them.
 */
export class PushgatewayExporter implements CancellableExporter {
  private readonly sender: HttpSender;
  private readonly serializer = new PrometheusSerializer();

  constructor(private readonly config: PushgatewayConfig, private readonly timeoutMillis = 10_000) {
    this.sender = createHttpSender({
      url: config.endpoint,
      headers: config.headers,
      ca: config.ca,
      key: config.key,
      cert: config.cert,
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      destination: `pushgateway ${redact(config.endpoint)}`,
    });
  }

  /** Outside a chain, an export is bounded by `timeoutMillis`. */
  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    void this.exportWithin(metrics, standaloneAttempt(this.timeoutMillis)).then(resultCallback);
  }

  async exportWithin(metrics: ResourceMetrics, attempt: Attempt): Promise<ExportResult> {
    try {
      return await this.push(metrics, attempt);
    } catch (error) {
      return { code: ExportResultCode.FAILED, error: error as Error };
    }
  }

  private async push(metrics: ResourceMetrics, attempt: Attempt): Promise<ExportResult> {
    const job = this.config.job ?? String(metrics.resource.attributes['service.name'] ?? 'otel-metrics-pipeline');
    const body = Buffer.from(this.serializer.serializeToString(metrics, 'text'), 'utf8');
    const url = `${this.config.endpoint}${pushgatewayPath(job, this.config.grouping)}`;
    const outcome = await this.sender.send(body, attempt, { url });
    return outcome.ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error: outcome.error };
  }

  selectAggregationTemporality(): AggregationTemporality {
    // The Pushgateway keeps the last push per group: only cumulative values make sense there.
    return AggregationTemporality.CUMULATIVE;
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.sender.shutdown();
  }
}

function redact(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    return url.origin + url.pathname.replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}
