import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createProcessProducer } from '../../instrumentation/process-producer';
import { harness, points, value } from '../helpers/metric-collect';

const status = (): Record<string, number> =>
  Object.fromEntries(readFileSync('/proc/self/status', 'latin1').split('\n').filter(Boolean).map((l) => [l.split(':')[0], parseInt(l.split(':')[1].trim(), 10) * (l.endsWith('kB') ? 1024 : 1)]));

describe('process producer against /proc/self/status', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  it('RSS, virtual memory, threads, fds and context switches agree; CPU time grows; utilization in [0, 1]', async () => {
    const h = harness([createProcessProducer()]);
    try {
      const first = await h.collect();
      const spinUntil = Date.now() + 1100;
      while (Date.now() < spinUntil) { /* burn CPU so utilization and CPU time move */ }
      const before = status();
      const c = await h.collect();
      const afterStatus = status();
      const fds = readdirSync('/proc/self/fd').length - 1;
      assert.ok(Math.abs(value(c, 'process.memory.usage')! - afterStatus.VmRSS) < 16 * 2 ** 20, 'RSS within 16 MiB');
      assert.ok(Math.abs(value(c, 'process.memory.virtual')! - afterStatus.VmSize) < 64 * 2 ** 20, 'VmSize within 64 MiB');
      assert.ok(Math.abs(value(c, 'process.thread.count')! - afterStatus.Threads) <= 2);
      assert.ok(Math.abs(value(c, 'process.unix.file_descriptor.count')! - fds) <= 2, `fds ${value(c, 'process.unix.file_descriptor.count')} vs ${fds}`);
      const vol = value(c, 'process.context_switches', { 'process.context_switch.type': 'voluntary' })!;
      assert.ok(vol >= before.voluntary_ctxt_switches && vol <= afterStatus.voluntary_ctxt_switches);
      const user = value(c, 'process.cpu.time', { 'cpu.mode': 'user' })!;
      assert.ok(user > value(first, 'process.cpu.time', { 'cpu.mode': 'user' })!, 'CPU time grows');
      const utils = points(c, 'process.cpu.utilization');
      assert.ok(utils.length === 2);
      for (const p of utils) assert.ok((p.value as number) >= 0 && (p.value as number) <= 1);
      assert.ok(value(c, 'process.cpu.utilization', { 'cpu.mode': 'user' })! > 0, 'a busy second shows');
      assert.ok(value(c, 'process.uptime')! > 0);
    } finally {
      await h.close();
    }
  });
});
