import assert from 'node:assert/strict';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, InMemoryMetricExporter, InstrumentType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { BuiltOnFirstUse } from '../../exporters/built-on-first-use';

const batch = { resource: {}, scopeMetrics: [] } as unknown as ResourceMetrics;
const exportOnce = (e: BuiltOnFirstUse) => new Promise<ExportResult>((resolve) => e.export(batch, resolve));

describe('BuiltOnFirstUse', () => {
  it('builds its exporter on the first export only, and answers temporality before that', async () => {
    let builds = 0;
    const inner = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const lazy = new BuiltOnFirstUse({ name: 't', build: () => { builds++; return inner; }, temporality: () => AggregationTemporality.DELTA });
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
    const lazy = new BuiltOnFirstUse({ name: 't', build: () => { builds++; throw new Error('no transport'); }, temporality: () => AggregationTemporality.CUMULATIVE });
    const r1 = await exportOnce(lazy);
    const r2 = await exportOnce(lazy);
    assert.equal(r1.code, ExportResultCode.FAILED);
    assert.equal(r2.error?.message, 'no transport');
    assert.equal(builds, 1);
    await lazy.shutdown();
  });

  it('a name not available yet is bound on the next tick with the temporality it declares', async () => {
    let available = false;
    let unavailable = 0;
    const inner = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const late = new BuiltOnFirstUse({
      name: 'late',
      build: () => (available ? { exporter: inner, temporality: () => AggregationTemporality.DELTA } : undefined),
      onUnavailable: () => unavailable++,
    });
    assert.equal(late.selectAggregationTemporality(InstrumentType.COUNTER), AggregationTemporality.CUMULATIVE);
    available = true;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(unavailable, 0);
    assert.equal(late.selectAggregationTemporality(InstrumentType.COUNTER), AggregationTemporality.DELTA);
    assert.equal((await exportOnce(late)).code, ExportResultCode.SUCCESS);
    assert.equal(inner.getMetrics().length, 1);
  });

  it('a name registered before the first collection gets its declared temporality even ahead of the next tick', () => {
    let available = false;
    const late = new BuiltOnFirstUse({
      name: 'late',
      build: () => (available ? { exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA), temporality: () => AggregationTemporality.DELTA } : undefined),
      onUnavailable: () => {},
    });
    available = true;
    // The SDK asks at an instrument's first collection and keeps the answer.
    assert.equal(late.selectAggregationTemporality(InstrumentType.COUNTER), AggregationTemporality.DELTA);
  });

  it('a name still unavailable on the next tick is reported once and its batches discarded', async () => {
    let unavailable = 0;
    const never = new BuiltOnFirstUse({ name: 'never', build: () => undefined, onUnavailable: () => unavailable++ });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(unavailable, 1);
    assert.equal((await exportOnce(never)).code, ExportResultCode.SUCCESS);
    assert.equal(unavailable, 1);
  });
});
