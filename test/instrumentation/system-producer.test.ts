import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createSystemProducer } from '../../instrumentation/system-producer';
import { harness, points, sum, value, type Collected } from '../helpers/metric-collect';

const linux = process.platform === 'linux';

function procStatTotals(): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync('/proc/stat', 'latin1').split('\n')) {
    if (!/^cpu\d/.test(line)) continue;
    const f = line.trim().split(/\s+/).map(Number);
    out.set('user', (out.get('user') ?? 0) + f[1] / 100);
    out.set('idle', (out.get('idle') ?? 0) + f[4] / 100);
  }
  return out;
}

describe('system producer against independent readings', { skip: !linux && 'Linux only' }, () => {
  const h = harness([createSystemProducer({ connections: true })]);
  let first: Collected;
  before(async () => { first = await h.collect(); });
  after(() => h.close());

  it('CPU time matches /proc/stat and only grows; utilization is in [0, 1]', async () => {
    const before = procStatTotals();
    await new Promise((r) => setTimeout(r, 1100));
    const c = await h.collect();
    const afterStat = procStatTotals();
    for (const mode of ['user', 'idle']) {
      const ours = sum(c, 'system.cpu.time', { 'cpu.mode': mode });
      // Read between two /proc/stat readings: within them, give or take a tick per CPU.
      assert.ok(ours >= before.get(mode)! - 0.05 && ours <= afterStat.get(mode)! + 0.05, `${mode}: ${before.get(mode)} <= ${ours} <= ${afterStat.get(mode)}`);
      for (const p of points(c, 'system.cpu.time', { 'cpu.mode': mode })) {
        const prev = points(first, 'system.cpu.time', { 'cpu.mode': mode, 'cpu.logical_number': p.attributes['cpu.logical_number'] })[0];
        assert.ok((p.value as number) >= (prev.value as number), 'monotonic');
      }
    }
    const utils = points(c, 'system.cpu.utilization');
    assert.ok(utils.length > 0, 'utilization reported after a 1 s window');
    for (const p of utils) assert.ok((p.value as number) >= 0 && (p.value as number) <= 1);
    assert.equal(value(c, 'system.cpu.logical.count'), readFileSync('/proc/stat', 'latin1').split('\n').filter((l) => /^cpu\d/.test(l)).length);
  });

  it('memory matches /proc/meminfo within 64 MiB; used + available = limit', async () => {
    const c = await h.collect();
    const meminfo = Object.fromEntries(readFileSync('/proc/meminfo', 'latin1').split('\n').filter(Boolean).map((l) => [l.split(':')[0], Number(l.split(':')[1].trim().split(' ')[0]) * 1024]));
    assert.equal(value(c, 'system.memory.limit'), meminfo.MemTotal);
    const used = value(c, 'system.memory.usage', { 'system.memory.state': 'used' })!;
    const available = value(c, 'system.memory.usage', { 'system.memory.state': 'available' })!;
    assert.equal(used + available, meminfo.MemTotal);
    assert.ok(Math.abs(available - meminfo.MemAvailable) < 64 * 2 ** 20);
    for (const p of points(c, 'system.memory.utilization')) assert.ok((p.value as number) >= 0 && (p.value as number) <= 1);
  });

  it('filesystem usage of / matches df within 1 %', async () => {
    const c = await h.collect();
    const [, line] = execFileSync('df', ['-B1', '--output=used,avail,size', '/'], { encoding: 'utf8' }).trim().split('\n');
    const [dfUsed, dfAvail, dfSize] = line.trim().split(/\s+/).map(Number);
    const root = { 'system.filesystem.mountpoint': '/' };
    const used = value(c, 'system.filesystem.usage', { ...root, 'system.filesystem.state': 'used' })!;
    const free = value(c, 'system.filesystem.usage', { ...root, 'system.filesystem.state': 'free' })!;
    assert.ok(Math.abs(used - dfUsed) <= dfSize * 0.01, `used ${used} vs df ${dfUsed}`);
    assert.ok(Math.abs(free - dfAvail) <= dfSize * 0.01, `free ${free} vs df ${dfAvail}`);
    assert.equal(value(c, 'system.filesystem.limit', root), dfSize);
    const u = value(c, 'system.filesystem.utilization', root)!;
    assert.ok(u >= 0 && u <= 1);
    assert.equal(points(c, 'system.filesystem.usage', { 'system.filesystem.type': 'proc' }).length, 0, 'no pseudo filesystems');
  });

  it('TCP connection counts match ss within 5 per state', async () => {
    const c = await h.collect();
    const ss = execFileSync('ss', ['-tan'], { encoding: 'utf8' }).trim().split('\n').slice(1);
    const established = ss.filter((l) => l.startsWith('ESTAB')).length;
    const listen = ss.filter((l) => l.startsWith('LISTEN')).length;
    const ours = (state: string) => value(c, 'system.network.connection.count', { 'network.transport': 'tcp', 'network.connection.state': state })!;
    assert.ok(Math.abs(ours('established') - established) <= 5, `established ${ours('established')} vs ss ${established}`);
    assert.ok(Math.abs(ours('listen') - listen) <= 5, `listen ${ours('listen')} vs ss ${listen}`);
  });

  it('network and disk counters are reported per interface and device', async () => {
    const c = await h.collect();
    assert.ok(points(c, 'system.network.io', { 'network.interface.name': 'lo', 'network.io.direction': 'receive' }).length === 1);
    for (const name of ['system.network.io', 'system.network.packet.count', 'system.network.errors', 'system.network.packet.dropped']) {
      for (const p of points(c, name)) {
        const prev = points(first, name, p.attributes)[0];
        if (prev) assert.ok((p.value as number) >= (prev.value as number), `${name} monotonic`);
      }
    }
    assert.equal(points(c, 'system.disk.io').filter((p) => String(p.attributes['system.device.name']).startsWith('loop')).length, 0, 'loop devices excluded by default');
  });
});
