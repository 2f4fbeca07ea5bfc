import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp } from '../helpers/spawn-app';

describe('an awaited forceFlush in a script with nothing else alive', () => {
  let receiver: OtlpReceiver;
  before(async () => { receiver = await OtlpReceiver.start(); });
  after(() => receiver.close());

  it('delivers each flush, instead of the first one ending the pipeline at beforeExit', async () => {
    const before = receiver.exports.length;
    const result = await runApp(fixture('flush-twice-app.js'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase,
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
    }, []);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /flushed twice/);
    const rows = receiver.pointsSince(before).filter((p) => p.metric === 'batch.rows').map((p) => p.value);
    // Cumulative: the first flush carries 1 and the second 3; the exit-time export may add another 3.
    assert.deepEqual(rows.slice(0, 2), [1, 3], `batch.rows values ${JSON.stringify(rows)}`);
  });
});
