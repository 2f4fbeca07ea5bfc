import assert from 'node:assert/strict';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, InMemoryMetricExporter, InstrumentType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { LazyExporter } from '../../exporters/lazy-exporter';

const batch = { resource: {}, scopeMetrics: [] } as unknown as ResourceMetrics;
const exportOnce = (e: LazyExporter) => new Promise<ExportResult>((resolve) => e.export(batch, resolve));

describe('LazyExporter', () => {
  it('builds its exporter on the first export only, and answers temporality before that', async () => {
    let builds = 0;
    const inner = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const lazy = new LazyExporter({ name: 't', build: () => { builds++; return inner; }, temporality: () => AggregationTemporality.DELTA });
    assert.equal(lazy.selectAggregationTemporality(InstrumentType.COUNTER), AggregationTemporality.DELTA);
    await lazy.forceFlush();
    assert.equal(builds, 0);
    assert.equal((await exportOnce(lazy)).code, ExportResultCode.SUCCESS);
    await exportOnce(lazy);
    assert.equal(builds, 1);
    assert.equal(inner.getMetrics().length, 2);
  });

  it('a build failure fails exports without throwing and is not retried', async () => {
    let builds = 0;
    const lazy = new LazyExporter({ name: 't', build: () => { builds++; throw new Error('no transport'); }, temporality: () => AggregationTemporality.CUMULATIVE });
    const r1 = await exportOnce(lazy);
    const r2 = await exportOnce(lazy);
    assert.equal(r1.code, ExportResultCode.FAILED);
    assert.equal(r2.error?.message, 'no transport');
    assert.equal(builds, 1);
    await lazy.shutdown();
  });
});
