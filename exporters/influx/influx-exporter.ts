import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { standaloneAttempt, type Attempt, type CancellableExporter } from '../delivery/attempt';
import { defaultLog, type Log } from '../../core/log';
import { ExportError } from '../delivery/export-error';
import type { RateLimitedLog } from '../../core/rate-limited-log';
import { createHttpSender, type HttpClassifier, type HttpSender } from '../http/http-sender';
import { classifyInfluxResponse } from './influx-response';
import type { InfluxConfig } from './influx-options';
import { createLineProtocolSerializer, type LineProtocolSerializer } from './line-protocol-serializer';
import { halveBody, splitLines } from './split-lines';
import { writeTarget, type WriteTarget } from './write-target';

const MAX_WARNED_METRICS = 1000;
// The error type our classifier gives a 413, asking for the body in halves.
const SPLIT = 'split_413';

/**
 * Pushes metrics to InfluxDB as line protocol: serializes, splits into bodies by line and byte
 * limits, and POSTs them one after another. It never retries: a failure comes back as an
 * ExportError in the result and the delivery chain decides. Resending a batch is harmless:
 * InfluxDB overwrites a point with the same series and timestamp.
 */
export class InfluxMetricExporter implements CancellableExporter {
  private readonly serialize: LineProtocolSerializer;
  private readonly target: WriteTarget;
  private readonly sender: HttpSender;
  private readonly warned = new Set<string>();
  // The delivery chain reports a failure by its status alone; what InfluxDB said (the first
  // rejected line's error, the dropped count, which credential to check) is said here, once a
  // minute per kind.
  private readonly permanentLog: RateLimitedLog;
  private stopped = false;

  /** @param name the name it was selected by, for messages; default `influxdb`. @param log the pipeline's log; default info level on stderr. */
  constructor(private readonly config: InfluxConfig, sender?: HttpSender, private readonly name = 'influxdb', private readonly log: Log = defaultLog) {
    this.permanentLog = log.limited();
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

  /** Outside a chain, an export is bounded by the configured timeout (`OTEL_EXPORTER_INFLUXDB_TIMEOUT`). */
  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    void this.exportWithin(metrics, standaloneAttempt(this.config.timeoutMillis)).then(done);
  }

  async exportWithin(metrics: ResourceMetrics, attempt: Attempt): Promise<ExportResult> {
    if (this.stopped) {
      return { code: ExportResultCode.FAILED, error: new ExportError('exporter is shut down', { destination: this.target.destination, retryable: false, type: 'shutdown' }) };
    }
    try {
      const result = await this.run(metrics, attempt);
      const error = result.error;
      if (error instanceof ExportError && !error.retryable && error.type !== 'shutdown') this.permanentLog.log(error.type, `${this.name}: ${error.message}`);
      return result;
    } catch (error) {
      return { code: ExportResultCode.FAILED, error: error as Error };
    }
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.sender.shutdown();
  }

  private async run(metrics: ResourceMetrics, attempt: Attempt): Promise<ExportResult> {
    const batch = this.serialize(metrics);
    for (const name of batch.lossyMetrics) this.warnLossy(name);
    let permanent: ExportError | undefined;
    for (const body of splitLines(batch.lines, this.config.maxBatchLines, this.config.maxBatchBytes)) {
      const error = await this.post(body, attempt);
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
  private async post(body: string, attempt: Attempt): Promise<ExportError | undefined> {
    const lines = countLines(body);
    const { api } = this.config;
    const { destination } = this.target;
    // Non-2xx answers: InfluxDB's meanings replace the sender's defaults.
    const classify: HttpClassifier = (status, headers, text) => {
      const verdict = classifyInfluxResponse(api, status, headers, text, destination, lines);
      if (verdict.kind === 'failed') return verdict.details;
      return verdict.kind === 'split' ? { message: 'HTTP 413', retryable: false, type: SPLIT, httpStatus: 413 } : undefined;
    };
    const outcome = await this.sender.send(Buffer.from(body), attempt, { classify });
    if (outcome.ok) {
      // A 2xx other than 204 is no InfluxDB 1.x/2.x write answer.
      const verdict = classifyInfluxResponse(api, outcome.status, outcome.headers, outcome.body, destination, lines);
      return verdict.kind === 'failed' ? new ExportError(verdict.details.message, { ...verdict.details, destination }) : undefined;
    }
    if (outcome.error.type !== SPLIT) return outcome.error;
    const halves = halveBody(body);
    if (!halves) {
      return new ExportError(`one line of ${Buffer.byteLength(body)} bytes is larger than the server accepts (HTTP 413); not retried`, {
        destination: this.target.destination, retryable: false, type: '413', httpStatus: 413,
      });
    }
    const first = await this.post(halves[0], attempt);
    if (first?.retryable) return first;
    const second = await this.post(halves[1], attempt);
    return second?.retryable ? second : first ?? second;
  }

  private warnLossy(name: string): void {
    if (this.warned.has(name) || this.warned.size >= MAX_WARNED_METRICS) return;
    this.warned.add(name);
    this.log.warn(`influxdb: metric ${JSON.stringify(name)} has NaN or infinite values; InfluxDB cannot store them, so they are skipped`);
  }
}

function countLines(body: string): number {
  let n = 0;
  for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) n++;
  return n;
}
