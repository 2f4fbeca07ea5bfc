// Issue 19: the spool's own trust rules, on real files (a real tmpfs for ENOSPC).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Spool } from '../../../exporters/delivery/spool';
import { destinationIdentity } from '../../../exporters/delivery/spool-identity';
import { deltaBatch } from '../../helpers/batches';

const total = (batches: { points: number }[]) => batches.reduce((n, b) => n + b.points, 0);

describe('Spool', () => {
  it('a directory shared by two destinations: each process replays only its own batches, the others are reported once', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'omp-spool-identity-'));
    const lines: string[] = [];
    t.mock.method(process.stderr, 'write', (chunk: string) => { lines.push(String(chunk)); return true; });
    const a = destinationIdentity({ exporter: 'otlp', endpoint: 'http://user:pw@collector-a:4318/v1/metrics?token=x' });
    const b = destinationIdentity({ exporter: 'otlp', endpoint: 'http://collector-b:4318/v1/metrics' });
    assert.equal(a, destinationIdentity({ exporter: 'otlp', endpoint: 'http://collector-a:4318/v1/metrics' }), 'credentials do not change the identity');
    assert.notEqual(a, b);
    // Service A exits with 3 batches (2+3+4 points) spooled, service B with 1 (5 points).
    for (const [identity, sizes] of [[a, [2, 3, 4]], [b, [5]]] as const) {
      const spool = new Spool(dir, { identity });
      for (const n of sizes) spool.write(spool.nextId(), deltaBatch(n));
      await spool.settle();
      spool.close();
    }
    const bSpool = new Spool(dir, { identity: b });
    const bGot = await bSpool.claim();
    assert.equal(total(bGot), 5);
    assert.equal(bSpool.lastClaim.foreign, 3);
    assert.equal(lines.filter((l) => /3 spooled batch\(es\) for another destination left in/.test(l)).length, 1, lines.join(''));
    for (const x of bGot) bSpool.remove(x.id);
    await bSpool.settle();
    bSpool.close();
    const aSpool = new Spool(dir, { identity: a });
    const aGot = await aSpool.claim();
    assert.deepEqual(aGot.map((x) => x.points).sort(), [2, 3, 4]);
    assert.equal(aSpool.lastClaim.foreign, 0);
    aSpool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ENOSPC on a 64 KiB tmpfs: failed writes leave no temp file, and isOnDisk tells exactly what was kept', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to mount a tmpfs');
    const mount = mkdtempSync(join(tmpdir(), 'omp-spool-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
    t.mock.method(process.stderr, 'write', () => true);
    try {
      const dir = join(mount, 'otlp');
      mkdirSync(dir);
      const spool = new Spool(dir);
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const id = spool.nextId();
        ids.push(id);
        spool.write(id, deltaBatch(20));
      }
      await spool.settle();
      const files = readdirSync(dir);
      assert.ok(spool.failedWrites > 0, 'the disk filled up');
      assert.deepEqual(files.filter((f) => f.endsWith('.tmp')), [], 'no temp file left behind');
      const kept = ids.filter((id) => spool.isOnDisk(id));
      assert.deepEqual(files.filter((f) => f.endsWith('.spool')).sort(), kept.map((id) => `${id}.spool`).sort());
      assert.equal(kept.length + spool.failedWrites, ids.length);
      spool.close();
      // The next start replays exactly what was kept.
      const next = new Spool(dir);
      assert.equal(total(await next.claim()), kept.length * 20);
      next.close();
    } finally {
      execFileSync('umount', [mount]);
      rmSync(mount, { recursive: true, force: true });
    }
  });
});
