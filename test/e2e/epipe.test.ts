import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { childEnv, fixture, REGISTER } from '../helpers/spawn-app';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'omp-epipe-'));

/**
 * Runs the app under the preload in a real shell pipeline that closes early (`| head -c 10`),
 * and returns node's own exit status and stderr.
 */
async function piped(env: Record<string, string>, stream: 'stdout' | 'stderr'): Promise<{ status: number; stderr: string }> {
  const err = join(dir, `${stream}-${Date.now()}.err`);
  const app = `"${process.execPath}" --require "${REGISTER}" "${fixture('quiet-for-a-while-app.js')}"`;
  // stderr test: our diagnostic lines go into the closed pipe; a copy of nothing else is kept.
  const pipeline = stream === 'stdout'
    ? `${app} 2>"${err}" | head -c 10 >/dev/null; echo \${PIPESTATUS[0]}`
    : `${app} 2>&1 >/dev/null | head -c 10 >/dev/null; echo \${PIPESTATUS[0]}`;
  const { stdout } = await run('bash', ['-c', pipeline], { env: childEnv({ OTEL_METRIC_EXPORT_INTERVAL: '100', ...env }), timeout: 30_000 });
  let stderr = '';
  try { stderr = readFileSync(err, 'utf8'); } catch { /* the stderr case keeps none */ }
  return { status: Number(stdout.trim()), stderr };
}

describe('a closed stdout or stderr pipe never touches the app (EPIPE)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const exporter of ['console', 'otlp/stdout']) {
    it(`${exporter} | head -c 10: the app exits 0 with nothing on stderr`, async () => {
      const { status, stderr } = await piped({ OTEL_METRICS_EXPORTER: exporter }, 'stdout');
      assert.equal(status, 0, stderr);
      assert.doesNotMatch(stderr, /EPIPE|Unhandled|Error/);
    });
  }

  it('diagnostic lines on stderr | head -c 10: the app exits 0', async () => {
    // Every export fails and OTEL_LOG_LEVEL=all writes upstream debug lines too: plenty of stderr.
    const { status } = await piped({ OTEL_LOG_LEVEL: 'all', OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_METRICS_RETRY_MAX_ELAPSED_TIME: '0' }, 'stderr');
    assert.equal(status, 0);
  });
});
