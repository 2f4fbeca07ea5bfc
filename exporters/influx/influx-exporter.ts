import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { warn } from '../../src/diag';
import { ExportError } from '../export-error';
import { createHttpSender, type HttpSender } from './http-sender';
import { classifyInfluxResponse } from './influx-response';
import type { InfluxConfig } from './influx-options';
import { createLineProtocolSerializer, type LineProtocolSerializer } from './line-protocol-serializer';
import { halveBody, splitLines } from './split-lines';
import { writeTarget, type WriteTarget } from './write-target';

const MAX_WARNED_METRICS = 1000;

/**
 * Pushes metrics to InfluxDB as line protocol: serializes, splits into bodies by line and byte
 * limits, and POSTs them one after another. It never retries: a failure comes back as an
 * ExportError in the result and the delivery chain decides. Resending a batch is harmless:
 * InfluxDB overwrites a point with the same series and timestamp.
 */
export class InfluxMetricExporter implements PushMetricExporter {
  private readonly serialize: LineProtocolSerializer;
  private readonly target: WriteTarget;
  private readonly sender: HttpSender;
  private readonly warned = new Set<string>();
  private stopped = false;

  constructor(private readonly config: InfluxConfig, sender?: HttpSender) {
    this.serialize = createLineProtocolSerializer({ precision: config.precision, resourceTags: config.resourceTags });
    this.target = writeTarget(config);
    this.sender = sender ?? createHttpSender({
      url: this.target.url,
      headers: this.target.headers,
      compression: config.compression,
      ca: config.ca,
      key: config.key,
      cert: config.cert,
      contentType: 'text/plain; charset=utf-8',
      destination: this.target.destination,
    });
  }

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    if (this.stopped) {
      done({ code: ExportResultCode.FAILED, error: new ExportError(`${this.target.destination}: exporter is shut down`, { destination: this.target.destination, retryable: false, type: 'shutdown' }) });
      return;
    }
    this.run(metrics).then(done, (error: Error) => done({ code: ExportResultCode.FAILED, error }));
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.sender.shutdown();
  }

  private async run(metrics: ResourceMetrics): Promise<ExportResult> {
    const batch = this.serialize(metrics);
    for (const name of batch.lossyMetrics) this.warnLossy(name);
    let permanent: ExportError | undefined;
    for (const body of splitLines(batch.lines, this.config.maxBatchLines, this.config.maxBatchBytes)) {
      const error = await this.post(body);
      if (!error) continue;
      // Retryable: stop here, the whole batch is sent again later. Rejected lines (400, 422, a
      // single line over the size limit) concern this body only: the others still go.
      // Anything else (auth, not found) would fail them all the same.
      const dataProblem = error.httpStatus === 400 || error.httpStatus === 422 || error.httpStatus === 413;
      if (error.retryable || !dataProblem) return { code: ExportResultCode.FAILED, error };
      permanent ??= error;
    }
    return permanent ? { code: ExportResultCode.FAILED, error: permanent } : { code: ExportResultCode.SUCCESS };
  }

  /** Sends one body; on 413 sends its halves instead, down to single lines. */
  private async post(body: string): Promise<ExportError | undefined> {
    const outcome = await this.sender.send(Buffer.from(body), this.config.timeoutMillis, { classify: () => undefined });
    if (!outcome.ok) return outcome.error;
    const lines = countLines(body);
    const verdict = classifyInfluxResponse(this.config.api, outcome.status, outcome.headers, outcome.body, this.target.destination, lines);
    if (verdict.kind === 'ok') return undefined;
    if (verdict.kind === 'failed') return verdict.error;
    const halves = halveBody(body);
    if (!halves) {
      return new ExportError(`${this.target.destination}: one line of ${Buffer.byteLength(body)} bytes is larger than the server accepts (HTTP 413); not retried`, {
        destination: this.target.destination, retryable: false, type: '413', httpStatus: 413,
      });
    }
    const first = await this.post(halves[0]);
    if (first?.retryable) return first;
    const second = await this.post(halves[1]);
    return second?.retryable ? second : first ?? second;
  }

  private warnLossy(name: string): void {
    if (this.warned.has(name) || this.warned.size >= MAX_WARNED_METRICS) return;
    this.warned.add(name);
    warn(`influxdb: metric ${JSON.stringify(name)} has NaN or infinite values; InfluxDB cannot store them, so they are skipped`);
  }
}

function countLines(body: string): number {
  let n = 0;
  for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) n++;
  return n;
}
