import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDecimal, formatFloat, formatInteger } from '../../../exporters/influx/format-number';
import { formatTimestamp } from '../../../exporters/influx/precision';

test('floats keep full round-trip precision', () => {
  for (const v of [0.1, 1 / 3, 123456789.123456789, 5e-324, 1.7976931348623157e308, -2.5, 1e21]) {
    assert.equal(Number(formatFloat(v)), v);
  }
  assert.equal(formatFloat(3), '3');
});

test('integers get the i suffix, also beyond 2^53', () => {
  assert.equal(formatInteger(42), '42i');
  assert.equal(formatInteger(-7), '-7i');
  assert.equal(formatInteger(2 ** 60), '1152921504606846976i');
});

test('decimal notation never uses an exponent (bucket keys, numeric tag values)', () => {
  assert.equal(formatDecimal(0.05), '0.05');
  assert.equal(formatDecimal(1e-7), '0.0000001');
  assert.equal(formatDecimal(1.5e-7), '0.00000015');
  assert.equal(formatDecimal(-2.5e-8), '-0.000000025');
  assert.equal(formatDecimal(1e21), '1000000000000000000000');
  assert.equal(formatDecimal(1.25e22), '12500000000000000000000');
  assert.equal(formatDecimal(1000), '1000');
  assert.equal(Number(formatDecimal(1.2345678901234567e-10)), 1.2345678901234567e-10);
});

test('timestamps at each precision are truncated, exact beyond 2^53', () => {
  const t: [number, number] = [1_700_000_000, 123_456_789];
  assert.equal(formatTimestamp(t, 'ns'), '1700000000123456789');
  assert.equal(formatTimestamp(t, 'us'), '1700000000123456');
  assert.equal(formatTimestamp(t, 'ms'), '1700000000123');
  assert.equal(formatTimestamp(t, 's'), '1700000000');
  assert.equal(formatTimestamp([1_700_000_000, 5], 'ns'), '1700000000000000005');
  assert.equal(formatTimestamp([1_700_000_000, 5], 'ms'), '1700000000000');
  assert.equal(formatTimestamp([0, 5_000], 'us'), '5');
});
