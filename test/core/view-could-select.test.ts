import assert from 'node:assert/strict';
import { it } from 'node:test';
import { InstrumentType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { viewCouldSelect } from '../../core/view-could-select';

const instrument = { name: 'http.server.request.duration', type: InstrumentType.HISTOGRAM, unit: 's' };
const meter = { name: 'm', version: '' };
const selects = (v: ViewOptions) => viewCouldSelect([v], instrument, meter);

it('viewCouldSelect follows the SDK selectors and errs towards yes', () => {
  assert.equal(viewCouldSelect([], instrument, meter), false);
  assert.equal(selects({ instrumentName: 'http.server.request.duration' }), true);
  assert.equal(selects({ instrumentName: 'http.*.duration' }), true);
  assert.equal(selects({ instrumentName: 'http.server.request.duratio?' }), true);
  assert.equal(selects({ instrumentName: 'HTTP.SERVER.REQUEST.DURATION' }), true);
  assert.equal(selects({ instrumentName: 'http.client.*' }), false);
  assert.equal(selects({ instrumentName: 'http.server.request.duration.x' }), false);
  assert.equal(selects({ instrumentType: InstrumentType.COUNTER }), false);
  assert.equal(selects({ instrumentUnit: 'ms' }), false);
  assert.equal(selects({ meterName: 'm', meterVersion: '' }), true);
  assert.equal(selects({ meterName: 'other' }), false);
  assert.equal(selects({ meterVersion: '1' }), false);
  assert.equal(selects({ meterSchemaUrl: 'https://x' }), true, 'a meter without a schema URL matches any, as in the SDK');
});
