import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { containerHint } from '../../src/doctor/container-env';
import { exitCodeOf, worst } from '../../src/doctor/doctor-report';
import { classifyAnswer } from '../../src/doctor/probe-protocol';
import { redact } from '../../core/redact';
import { runDoctor } from '../../src/doctor/run-doctor';
import { settingSource } from '../../src/doctor/setting-source';

describe('doctor parts', () => {
  it('classifyAnswer names HTTP/1.1, HTTP/2 frames, TLS records and silence', () => {
    assert.equal(classifyAnswer(Buffer.from('HTTP/1.1 400 Bad Request\r\n')), 'http1');
    assert.equal(classifyAnswer(Buffer.from([0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100])), 'h2');
    assert.equal(classifyAnswer(Buffer.from([0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])), 'h2');
    assert.equal(classifyAnswer(Buffer.from([0x15, 0x03, 0x03, 0, 2, 2, 70])), 'tls');
    assert.equal(classifyAnswer(Buffer.alloc(0)), 'closed');
    assert.equal(classifyAnswer(Buffer.from('SSH-2.0-OpenSSH')), 'unknown');
  });

  it('containerHint reads /.dockerenv, KUBERNETES_SERVICE_HOST and cgroup names', () => {
    const root = mkdtempSync(join(tmpdir(), 'omp-root-'));
    try {
      mkdirSync(join(root, 'proc/1'), { recursive: true });
      writeFileSync(join(root, 'proc/1/cgroup'), '0::/\n');
      assert.equal(containerHint({}, root), undefined);
      assert.equal(containerHint({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }, root), 'KUBERNETES_SERVICE_HOST is set');
      writeFileSync(join(root, 'proc/1/cgroup'), '0::/kubepods/besteffort/pod1\n');
      assert.equal(containerHint({}, root), '/proc/1/cgroup names kubepods');
      writeFileSync(join(root, '.dockerenv'), '');
      assert.equal(containerHint({}, root), '/.dockerenv exists');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('redaction hides userinfo, query values and header values, and scrubs known secrets', () => {
    assert.equal(redact.url('https://user:pw@collector:4318/v1/metrics?token=abc'), 'https://[redacted]@collector:4318/v1/metrics?token=[redacted]');
    assert.equal(redact.url('http://collector:4317'), 'http://collector:4317');
    // Not a URL, but what precedes an '@' may be a password all the same (the shared helper's rule).
    assert.equal(redact.url('not a url user:pw@x'), '[redacted]@x');
    assert.equal(redact.headers({ authorization: 'Bearer x', 'x-a': 'b' }), 'authorization=[redacted], x-a=[redacted]');
    const secrets = redact.secretsIn({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20tok123', OTEL_EXPORTER_FOO_TOKEN: 'abcdef', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://me:pass1234@h', PATH: '/bin' });
    assert.ok(secrets.includes('Bearer tok123') && secrets.includes('abcdef') && secrets.includes('pass1234'));
    assert.equal(redact.scrub('said Bearer tok123 to ftp://a:b@h', secrets), 'said [redacted] to ftp://[redacted]@h');
  });

  it('settingSource: code, the signal-specific twin, the generic one, a lone variable, the default', () => {
    const reads = [{ name: 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', value: undefined }, { name: 'OTEL_EXPORTER_OTLP_TIMEOUT', value: '5' }];
    const twins = ['OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'];
    assert.deepEqual(settingSource(reads, twins, []), { source: 'OTEL_EXPORTER_OTLP_TIMEOUT', sourceKind: 'generic' });
    assert.deepEqual(settingSource([{ name: twins[0]!, value: '1' }, ...reads], twins, []), { source: twins[0], sourceKind: 'specific' });
    assert.deepEqual(settingSource(reads, twins, [], true), { source: 'code', sourceKind: 'code' });
    assert.deepEqual(settingSource([], ['OTEL_X'], []), { source: 'default', sourceKind: 'default' });
    assert.deepEqual(settingSource([{ name: 'OTEL_X', value: 'y' }], ['OTEL_X'], ['invalid OTEL_X="y"']), { source: 'OTEL_X', sourceKind: 'env', note: 'see the problems' });
    assert.equal(settingSource([{ name: 'OTEL_X', value: 'y' }], ['OTEL_X'], ['invalid OTEL_XY="y"']).note, undefined);
  });

  it('exit codes: configuration problems beat failing destinations', () => {
    const base = { schemaVersion: 1 as const, sent: true, settings: [], notes: [], problems: [] as string[], destinations: [] };
    const failing = { name: 'otlp', role: 'primary' as const, kind: 'push' as const, status: 'fail' as const, checks: [] };
    assert.equal(exitCodeOf(base), 0);
    assert.equal(exitCodeOf({ ...base, destinations: [failing] }), 1);
    assert.equal(exitCodeOf({ ...base, destinations: [failing], problems: ['x'] }), 2);
    assert.equal(worst([{ status: 'ok' }, { status: 'warn' }, { status: 'skip' }]), 'warn');
  });

  it('notes: disabled, and no exporter selected', async () => {
    const off = await runDoctor({ env: { OTEL_SDK_DISABLED: 'true', OTEL_METRICS_EXPORTER: 'none' }, send: false });
    assert.match(off.notes.join('\n'), /OTEL_SDK_DISABLED=true: the preload does nothing/);
    assert.match(off.notes.join('\n'), /no exporter is selected/);
    assert.deepEqual(off.destinations, []);
    assert.equal(off.exitCode, 0);
  });
});
