import { freemem, totalmem } from 'node:os';
import { cpuCapacity } from '../cpu-capacity';
import type { ExporterHealth, HealthReport, HealthThresholds } from './health-report';
import { DEFAULT_HEALTH_THRESHOLDS } from './health-report';
import { ProcFiles } from '../proc-files';
import { acquireEventLoopWindow } from '../shared-event-loop-window';
import { cgroupDir, readCgroup } from '../system/cgroup';

/** Where exporter health comes from; the pipeline sets it (see setExportHealthSource). */
export type ExportHealthSource = () => ExporterHealth[];

/** Options of a HealthMonitor. */
export interface HealthMonitorOptions {
  thresholds?: Partial<HealthThresholds>;
  /** Root /proc and /sys are read under, for tests; default `/`. */
  root?: string;
  /** Event-loop window, ms; default 10000 (shared with the runtime producer when equal). */
  eventLoopWindowMillis?: number;
  /** Event-loop sampling period, ms; default 100. */
  eventLoopResolutionMillis?: number;
}

/**
 * Computes the health report: process CPU over the time since the previous report (at least
 * 1 s; since process start on the first), memory against the cgroup limit or the host, the
 * event-loop p99 of the last completed window, and each exporter's delivery.
 */
export class HealthMonitor {
  readonly thresholds: HealthThresholds;
  private readonly files: ProcFiles;
  private readonly capacity: number;
  private readonly cgroup: string | undefined;
  private readonly loop: ReturnType<typeof acquireEventLoopWindow>;
  private cpuPrev = { at: 0, used: 0 };
  private cpuLast = 0;
  private source: ExportHealthSource = () => [];

  constructor(options: HealthMonitorOptions = {}) {
    this.thresholds = { ...DEFAULT_HEALTH_THRESHOLDS, ...options.thresholds };
    this.files = new ProcFiles(options.root ?? '/');
    this.capacity = cpuCapacity(this.files);
    this.cgroup = process.platform === 'linux' ? cgroupDir(this.files) : undefined;
    this.loop = acquireEventLoopWindow(options.eventLoopWindowMillis ?? 10_000, options.eventLoopResolutionMillis ?? 100);
  }

  /** Sets where exporter health is read from; replaces the previous source. */
  setExportHealthSource(source: ExportHealthSource): void {
    this.source = source;
  }

  private cpu(): number {
    const now = performance.now();
    const c = process.cpuUsage();
    const used = (c.user + c.system) / 1000; // ms
    if (this.cpuPrev.at === 0) {
      this.cpuLast = used / ((process.uptime() * 1000) * this.capacity);
      this.cpuPrev = { at: now, used };
    } else if (now - this.cpuPrev.at >= 1000) {
      this.cpuLast = (used - this.cpuPrev.used) / ((now - this.cpuPrev.at) * this.capacity);
      this.cpuPrev = { at: now, used };
    }
    return Math.min(1, Math.max(0, this.cpuLast));
  }

  private memory(): { used: number; limit: number; source: 'cgroup' | 'host' } {
    if (this.cgroup) {
      const c = readCgroup(this.files, this.cgroup);
      if (c.memoryLimit !== undefined && c.memoryUsage !== undefined) return { used: c.memoryUsage, limit: c.memoryLimit, source: 'cgroup' };
    }
    const total = totalmem();
    return { used: total - freemem(), limit: total, source: 'host' };
  }

  /** The current report; never throws. */
  report(now = Date.now()): HealthReport {
    const t = this.thresholds;
    const cpu = this.cpu();
    const mem = this.memory();
    const memUtil = mem.limit > 0 ? mem.used / mem.limit : 0;
    const loop = this.loop.window.read();
    const p99 = loop.delay ? loop.delay.p99 * 1000 : 0;
    let exporters: HealthReport['exporters'] = [];
    try {
      exporters = this.source().map((e) => ({ ...e, ok: exporterOk(e, now, t.exportStaleMillis) }));
    } catch { /* a broken source costs the exporter section only */ }
    const checks: HealthReport['checks'] = {
      cpu: { ok: cpu < t.cpuUtilization, value: cpu, threshold: t.cpuUtilization, unit: '1' },
      memory: { ok: memUtil < t.memoryUtilization, value: memUtil, threshold: t.memoryUtilization, unit: '1', usedBytes: mem.used, limitBytes: mem.limit, source: mem.source },
      eventLoop: { ok: p99 < t.eventLoopP99Millis, value: p99, threshold: t.eventLoopP99Millis, unit: 'ms', windowMillis: Math.round(loop.windowMillis) },
    };
    const ready = checks.cpu.ok && checks.memory.ok && checks.eventLoop.ok;
    return {
      status: !ready ? 'unhealthy' : exporters.every((e) => e.ok) ? 'ok' : 'degraded',
      // Answering at all is the liveness signal: a loop that is really stuck cannot answer, and the
      // probe's own timeout restarts it. Event-loop delay is something a client can raise (a scrape
      // flood), and a restart would not cure it, so it only makes the process unready.
      live: true,
      ready,
      timestamp: new Date(now).toISOString(),
      uptimeSeconds: process.uptime(),
      checks,
      exporters,
    };
  }

  /** Releases the event-loop sampler. */
  close(): void {
    this.loop.release();
  }
}

/** Healthy when the last export succeeded and is not older than `staleMillis` (grace after start). */
function exporterOk(e: ExporterHealth, now: number, staleMillis: number): boolean {
  if ((e.consecutiveFailures ?? 0) > 0) return false;
  if (e.consecutiveFailures === undefined && e.lastFailureAt !== undefined && (e.lastSuccessAt === undefined || e.lastFailureAt > e.lastSuccessAt)) return false;
  if (e.lastSuccessAt !== undefined) return now - e.lastSuccessAt < staleMillis;
  return process.uptime() * 1000 < staleMillis;
}
