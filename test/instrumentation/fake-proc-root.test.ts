import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DiagLogLevel } from '@opentelemetry/api';
import { Log } from '../../core/log';
import { createProcessProducer } from '../../instrumentation/process-producer';
import { createSystemProducer } from '../../instrumentation/system-producer';
import { harness, points, value } from '../helpers/metric-collect';

function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'fake-proc-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function captureStderr(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => { lines.push(String(chunk)); return true; }) as typeof process.stderr.write;
  return { lines, restore: () => { process.stderr.write = original; } };
}

describe('fake /proc root', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  const roots: string[] = [];
  after(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

  it('missing files skip their metrics with one debug line each, the rest is reported', async () => {
    const root = fakeRoot({
      'proc/meminfo': 'MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 400 kB\nBuffers: 10 kB\nCached: 200 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n',
      'proc/net/dev': 'Inter-|   Receive\n face |bytes\n  eth0: 10 2 0 0 0 0 0 0 20 3 1 0 0 0 0 0\n',
      'proc/net/tcp': '  sl  local_address rem_address   st\n   0: 0100007F:1F90 00000000:0000 0A 0\n   1: 0100007F:1F90 0100007F:A000 01 0\n',
      'sys/fs/cgroup/cgroup.controllers': 'cpu memory\n',
      'proc/self/cgroup': '0::/app\n',
      'sys/fs/cgroup/app/memory.max': '536870912\n',
      'sys/fs/cgroup/app/memory.current': '1048576\n',
      'sys/fs/cgroup/app/cpu.max': '150000 100000\n',
      'sys/fs/cgroup/app/cpu.stat': 'usage_usec 3000000\nuser_usec 2000000\nsystem_usec 1000000\n',
    });
    roots.push(root);
    const log = new Log(DiagLogLevel.DEBUG);
    const err = captureStderr();
    const h = harness([createSystemProducer({ root, connections: true }, log), createProcessProducer({ root }, log)]);
    let c;
    try {
      c = await h.collect();
      await h.collect();
    } finally {
      err.restore();
      await h.close();
    }
    assert.equal(value(c, 'system.memory.limit'), 1000 * 1024);
    assert.equal(value(c, 'system.memory.usage', { 'system.memory.state': 'used' }), 600 * 1024);
    assert.equal(value(c, 'system.network.io', { 'network.interface.name': 'eth0', 'network.io.direction': 'transmit' }), 20);
    assert.equal(value(c, 'system.network.connection.count', { 'network.transport': 'tcp', 'network.connection.state': 'listen' }), 1);
    assert.equal(value(c, 'container.memory.limit'), 536870912);
    assert.equal(value(c, 'container.cpu.limit'), 1.5);
    assert.equal(value(c, 'container.cpu.time', { 'cpu.mode': 'user' }), 2);
    assert.equal(points(c, 'system.cpu.time').length, 0, 'no /proc/stat, no CPU time');
    assert.equal(points(c, 'system.disk.io').length, 0);
    assert.ok(value(c, 'process.memory.usage')! > 0, 'process figures not from files still come');
    const stat = err.lines.filter((l) => l.includes('proc/stat'));
    assert.equal(stat.length, 1, `one debug line for proc/stat over two collections: ${err.lines.join('')}`);
    assert.ok(err.lines.some((l) => l.includes('proc/diskstats')));
  });
});
