/** Limits the health checks compare against. */
export interface HealthThresholds {
  /** Process CPU utilization (of the CPUs it may use) at or above which it is overloaded, 0-1; default 0.9 (env `OTEL_METRICS_HEALTH_CPU_THRESHOLD`). */
  cpuUtilization: number;
  /** Memory utilization (cgroup limit, else the host) at or above which it is overloaded, 0-1; default 0.95 (env `OTEL_METRICS_HEALTH_MEMORY_THRESHOLD`). */
  memoryUtilization: number;
  /** Event-loop delay p99 at or above which the process is unready (/readyz), ms; default 1000 (env `OTEL_METRICS_HEALTH_EVENTLOOP_P99_MILLIS`). */
  eventLoopP99Millis: number;
  /** An exporter with no success for this long, or with failures since its last success, is degraded, ms; default 300000 (env `OTEL_METRICS_HEALTH_EXPORT_STALE_MILLIS`). */
  exportStaleMillis: number;
}

/** Defaults of {@link HealthThresholds}. */
export const DEFAULT_HEALTH_THRESHOLDS: Readonly<HealthThresholds> = {
  cpuUtilization: 0.9,
  memoryUtilization: 0.95,
  eventLoopP99Millis: 1000,
  exportStaleMillis: 300_000,
};

/** One exporter's delivery health, as the pipeline reports it through the export-health hook. */
export interface ExporterHealth {
  /** Exporter name, e.g. `otlp`. */
  name: string;
  /** When the last export succeeded, ms since the epoch; undefined if none has yet. */
  lastSuccessAt?: number;
  /** When the last export failed, ms since the epoch. */
  lastFailureAt?: number;
  /** Failed attempts since the last success; any makes the exporter not ok. */
  consecutiveFailures?: number;
  /** `error.type` of the last failure. */
  lastErrorType?: string;
  /** Batches queued now, and the queue's capacity. */
  queueSize?: number;
  queueCapacity?: number;
  /** Points given up on since start. */
  droppedPoints?: number;
}

/** One check's outcome. */
export interface HealthCheck {
  ok: boolean;
  value?: number;
  threshold?: number;
  unit?: string;
}

/** What getHealth() returns and /healthz, /readyz serve as JSON. */
export interface HealthReport {
  /** `unhealthy`: a resource check failed; `degraded`: only export checks failed; else `ok`. */
  status: 'ok' | 'degraded' | 'unhealthy';
  /** The process answers (what /healthz, the liveness probe, checks); always true in a report: a stuck loop answers nothing. */
  live: boolean;
  /** No resource check failed (what /readyz checks). Export failures never make a process unready. */
  ready: boolean;
  timestamp: string;
  uptimeSeconds: number;
  checks: {
    cpu: HealthCheck;
    memory: HealthCheck & { usedBytes?: number; limitBytes?: number; source?: 'cgroup' | 'host' };
    eventLoop: HealthCheck & { windowMillis?: number };
  };
  exporters: Array<ExporterHealth & { ok: boolean }>;
}
