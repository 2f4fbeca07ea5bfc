import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateQuantile, explicitBuckets, exponentialBuckets } from '../../../exporters/console/histogram-quantiles';

describe('estimateQuantile', () => {
  it('interpolates inside the bucket holding the rank', () => {
    // 10 values in (0,10], 10 in (10,20]
    const buckets = explicitBuckets([0, 10, 20], [0, 10, 10, 0]);
    assert.equal(estimateQuantile(buckets, 0.5), 10);
    assert.equal(estimateQuantile(buckets, 0.25), 5);
    assert.equal(estimateQuantile(buckets, 0.75), 15);
  });
  it('clamps open-ended buckets to the observed min and max', () => {
    const buckets = explicitBuckets([10], [4, 4]);
    assert.equal(estimateQuantile(buckets, 0.99, 2, 50)! <= 50, true);
    assert.equal(estimateQuantile(buckets, 0.01, 2, 50)! >= 2, true);
  });
  it('is undefined for an empty histogram', () => {
    assert.equal(estimateQuantile(explicitBuckets([1], [0, 0]), 0.5), undefined);
  });
});

describe('exponentialBuckets', () => {
  it('maps scale 0 indexes to powers of two', () => {
    const b = exponentialBuckets(0, 1, { offset: 0, bucketCounts: [1, 2] }, { offset: 0, bucketCounts: [3] });
    assert.deepEqual(b, [
      { lower: -2, upper: -1, count: 3 },
      { lower: 0, upper: 0, count: 1 },
      { lower: 1, upper: 2, count: 1 },
      { lower: 2, upper: 4, count: 2 },
    ]);
  });
});
