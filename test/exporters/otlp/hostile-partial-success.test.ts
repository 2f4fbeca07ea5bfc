// Issue 19: a collector's partial_success is its words, not ours: counts are clamped to what was
// sent, the message is cut and stripped of escape sequences before it reaches a line.
import assert from 'node:assert/strict';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { describe, it } from 'node:test';
import { EnvReader } from '../../../core/env-reader';
import { DeliveryStats } from '../../../exporters/delivery/delivery-stats';
import { Log } from '../../../core/log';
import { readOtlpConfig } from '../../../exporters/otlp/otlp-config';
import { createOtlpExporter } from '../../../exporters/otlp/otlp-exporter';
import { deltaBatch } from '../../helpers/batches';
import { OtlpReceiver } from '../../helpers/otlp-receiver';
import { DiagLogLevel } from '@opentelemetry/api';

const HOSTILE = `\u001b[2J\u001b]0;pwned\u0007\u001b[31mred\r\nforged line\u0000${'A'.repeat(200_000)}`;

describe('a hostile partial_success', () => {
  const log = new Log(DiagLogLevel.WARN);
  for (const protocol of ['http/protobuf', 'http/json', 'grpc'] as const) {
    for (const claimed of ['9223372036854775807', '-5']) {
      it(`${protocol}: rejected=${claimed} and a 200,000-character escape-laden message`, async (t) => {
        const lines: string[] = [];
        const write = t.mock.method(process.stderr, 'write', (chunk: string | Uint8Array) => { lines.push(String(chunk)); return true; });
        const receiver = await OtlpReceiver.start({
          reply: () => ({ partialSuccess: { rejectedDataPoints: claimed as unknown as number, errorMessage: HOSTILE } }),
        });
        const config = readOtlpConfig(new EnvReader({}, () => {}), { protocol, endpoint: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl, timeoutMillis: 5000 });
        const stats = new DeliveryStats(`otlp-${protocol}-${claimed}`);
        const exporter = createOtlpExporter(config, stats, { log });
        try {
          const result = await new Promise<ExportResult>((resolve) => exporter.export(deltaBatch(5), resolve));
          assert.equal(result.code, ExportResultCode.SUCCESS);
        } finally {
          await exporter.shutdown();
          await receiver.close();
          write.mock.restore();
        }
        assert.ok(stats.rejectedPoints >= 0 && stats.rejectedPoints <= 5, `rejected ${stats.rejectedPoints} of 5 sent`);
        // JSON carries -5 as written; protobuf's int64 decoder hands it over as a huge unsigned number, clamped all the same.
        if (claimed !== '-5' || protocol === 'http/json') assert.equal(stats.rejectedPoints, claimed === '-5' ? 0 : 5);
        const ours = lines.filter((l) => l.includes(stats.name));
        assert.equal(ours.length, 1, lines.join(''));
        const line = ours[0]!;
        assert.ok(line.length < 600, `line of ${line.length} characters`);
        assert.equal(line.indexOf('\n'), line.length - 1, 'one line');
        assert.doesNotMatch(line, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, 'no control characters');
        assert.match(line, /red forged line/);
      });
    }
  }
});
