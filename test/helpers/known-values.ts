import assert from 'node:assert/strict';
import type { Point } from './otlp-decode';

/** The point named `metric`, failing the test when it is missing. */
export const find = (points: Point[], metric: string): Point => {
  const p = points.find((x) => x.metric === metric);
  assert.ok(p, `no ${metric} in ${points.map((x) => x.metric).join(', ')}`);
  return p;
};

/** The values record.ts records, as every protocol must deliver them. */
export function assertKnownValues(points: Point[]): void {
  const requests = find(points, 'app.requests');
  assert.equal(requests.kind, 'sum');
  assert.equal(requests.monotonic, true);
  assert.equal(requests.value, 7);
  assert.deepEqual(requests.attributes, { route: '/a' });
  assert.equal(requests.unit, '{request}');
  const latency = find(points, 'app.latency');
  assert.equal(latency.kind, 'histogram');
  assert.equal(latency.count, 3);
  assert.ok(Math.abs(latency.sum! - 0.6) < 1e-9);
  assert.equal(latency.min, 0.1);
  assert.equal(latency.max, 0.3);
  assert.equal(find(points, 'app.inflight').value, 2);
  assert.equal(find(points, 'app.temperature').value, 21.5);
  assert.equal(find(points, 'app.temperature').kind, 'gauge');
}
