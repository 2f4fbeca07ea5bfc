import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { DeliveryStats } from '../../exporters/delivery/delivery-stats';
import { classifyError } from '../../exporters/delivery/export-error';
import { describeCause } from '../../exporters/delivery/describe-cause';
import type { OtlpConfig } from '../../exporters/otlp/otlp-config';
import { createOtlpExporter } from '../../exporters/otlp/otlp-exporter';
import { Budget, OutOfTime } from './budget';
import type { Check } from './doctor-report';
import { describeExportFailure, isAuthFailure } from './export-meaning';
import { DOCTOR_METRIC_NAME } from './test-batch';

/**
 * Sends the test batch once through the real OTLP exporter (same transport, TLS, headers and
 * compression as the pipeline; no retry, since the pipeline's retry sits outside the exporter)
 * and classifies the answer with the pipeline's own classifyError.
 */
export async function checkExport(config: OtlpConfig, batch: ResourceMetrics, budget: Budget, said: (prefix: string) => string[]): Promise<Check> {
  const left = budget.remaining();
  if (left < 50) return { name: 'export', status: 'skip', detail: 'not sent: no time left in the check' };
  const started = Date.now();
  const statsName = `doctor-${Math.random().toString(36).slice(2, 8)}`;
  const stats = new DeliveryStats(statsName);
  const exporter = createOtlpExporter({ ...config, timeoutMillis: Math.min(config.timeoutMillis, left) }, stats);
  let result: ExportResult;
  try {
    result = await budget.race(new Promise<ExportResult>((resolve) => exporter.export(batch, resolve)), left + 200);
  } catch (err) {
    result = { code: ExportResultCode.FAILED, error: err instanceof OutOfTime ? Object.assign(new Error(err.message), { name: 'TimeoutError' }) : (err as Error) };
  } finally {
    void exporter.shutdown().catch(() => {});
  }
  const millis = Date.now() - started;
  const base = { name: 'export', millis };
  if (result.code === ExportResultCode.SUCCESS) {
    if (stats.rejectedPoints > 0) {
      const reason = said(`${statsName}:`).map((l) => l.slice(statsName.length + 2)).join('; ');
      return { ...base, status: 'warn', detail: `partial success: ${DOCTOR_METRIC_NAME} was accepted but ${stats.rejectedPoints} data point(s) rejected${reason ? ` (${reason})` : ''}; the pipeline does not retry these`, data: { outcome: 'partial_success', rejectedPoints: stats.rejectedPoints } };
    }
    return { ...base, status: 'ok', detail: `${DOCTOR_METRIC_NAME} accepted in ${millis} ms`, data: { outcome: 'accepted' } };
  }
  const details = classifyError(result.error);
  const message = result.error?.message ?? '';
  const cause = describeCause(result.error);
  const outcome = isAuthFailure(details) ? 'auth_failure' : 'failed';
  return {
    ...base,
    status: 'fail',
    detail: `${outcome === 'auth_failure' ? 'rejected, authentication: ' : 'failed: '}${describeExportFailure(details, result.error)}`,
    data: { outcome, cause, type: details.type, retryable: details.retryable, httpStatus: details.httpStatus ?? null, grpcStatus: details.grpcStatus ?? null, retryAfterMillis: details.retryAfterMillis ?? null, message },
  };
}
