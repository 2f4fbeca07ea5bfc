import assert from 'node:assert/strict';
import type { Meter } from '@opentelemetry/api';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, it } from 'node:test';
import { countPoints, estimateBytes } from '../../../exporters/delivery/batch-size';
import { splitBatch } from '../../../exporters/delivery/split-batch';

class ManualReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

async function collect(record: (meter: Meter) => void): Promise<ResourceMetrics> {
  const reader = new ManualReader();
  const provider = new MeterProvider({ readers: [reader] });
  record(provider.getMeter('batch-size-test'));
  return (await reader.collect()).resourceMetrics;
}

const SHAPES: Record<string, (meter: Meter) => void> = {
  'counters with attributes': (m) => {
    for (let i = 0; i < 500; i++) {
      const c = m.createCounter(`app.metric.${i}`, { unit: '{request}', description: 'a counter' });
      for (let j = 0; j < 5; j++) c.add(j + 1, { 'http.route': `/api/v1/item/${j}`, 'http.response.status_code': 200 });
    }
  },
  'counters without attributes': (m) => { for (let i = 0; i < 1000; i++) m.createCounter(`c${i}`).add(1); },
  histograms: (m) => {
    for (let i = 0; i < 50; i++) {
      const h = m.createHistogram(`app.latency.${i}`, { unit: 's' });
      for (let j = 0; j < 20; j++) h.record(j * 0.01, { route: `/r${j}` });
    }
  },
  'one gauge': (m) => { m.createObservableGauge('g').addCallback((r) => r.observe(1)); },
};

describe('estimateBytes', () => {
  for (const [shape, record] of Object.entries(SHAPES)) {
    it(`is within 2x of the real OTLP protobuf size: ${shape}`, async () => {
      const batch = await collect(record);
      const real = ProtobufMetricsSerializer.serializeRequest(batch)!.length;
      const ratio = estimateBytes(batch) / real;
      assert.ok(ratio >= 0.5 && ratio <= 2, `estimate/real = ${ratio.toFixed(2)}`);
    });
  }
});

describe('splitBatch', () => {
  it('splits by whole streams under the bound, keeps every point, and puts the pipeline\'s own scope first', async () => {
    const reader = new ManualReader();
    const provider = new MeterProvider({ readers: [reader] });
    SHAPES['counters with attributes']!(provider.getMeter('app'));
    provider.getMeter('otel-metrics-pipeline').createCounter('otel_metrics_pipeline.retries').add(1);
    const batch = (await reader.collect()).resourceMetrics;
    const parts = splitBatch(batch, 20_000);
    assert.ok(parts.length > 5, `${parts.length} parts`);
    for (const part of parts) assert.ok(estimateBytes(part) <= 20_000, `part of ${estimateBytes(part)} bytes`);
    assert.equal(parts.reduce((n, p) => n + countPoints(p), 0), countPoints(batch));
    assert.equal(parts[0]!.scopeMetrics[0]!.scope.name, 'otel-metrics-pipeline');
    assert.deepEqual(splitBatch(batch, 10_000_000), [batch]);
  });
});

describe('splitBatch after the queue estimated the batch', () => {
  it('splits exactly as it does without the estimate, at every bound around the whole batch\'s size', async () => {
    const fresh = async () => collect(SHAPES['counters with attributes']!);
    // The smallest bound at which the whole batch goes as one, found on a batch never estimated.
    const unestimated = await fresh();
    let lo = 1;
    let hi = 10_000_000;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (splitBatch(unestimated, mid).length === 1) hi = mid;
      else lo = mid + 1;
    }
    const fits = lo;
    for (const bound of [fits - 50, fits - 1, fits, fits + 1, fits + 50]) {
      const unknown = splitBatch(unestimated, bound);
      const estimated = await fresh();
      estimateBytes(estimated);
      const known = splitBatch(estimated, bound);
      assert.equal(known.length, unknown.length, `bound ${bound}`);
      assert.equal(known.length === 1, bound >= fits, `bound ${bound}`);
    }
  });
});
