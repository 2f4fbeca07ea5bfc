// Issue 19: a spool directory someone else can write to. Each attack is planted as real files
// in a real directory, then a real preloaded app starts on it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OtlpReceiver } from '../helpers/otlp-receiver';
import { fixture, runApp } from '../helpers/spawn-app';
import { runDoctorCli } from '../doctor/doctor-cli';

const DEAD = '000000000000001-deadbeef0001-000001';

/** A file with a valid header and checksum around `body`, as anyone could write one. */
function forged(body: unknown): Buffer {
  const b = Buffer.from(JSON.stringify(body));
  return Buffer.concat([Buffer.from(`OMPSPOOL2 P 1 ${b.length} ${createHash('sha256').update(b).digest('hex')}\n`), b]);
}

const NULL_POINTS = { resource: { attributes: {} }, scopeMetrics: [{ scope: { name: 'x' }, metrics: [{ descriptor: { name: 'm', description: '', unit: '' }, dataPointType: 3, dataPoints: null }] }] };

describe('a hostile spool directory', () => {
  let receiver: OtlpReceiver;
  let root: string;
  before(async () => {
    receiver = await OtlpReceiver.start();
    root = mkdtempSync(join(tmpdir(), 'omp-hostile-spool-'));
  });
  after(async () => {
    await receiver.close();
    rmSync(root, { recursive: true, force: true });
  });

  function freshDir(name: string): { dir: string; spool: string } {
    const dir = join(root, name);
    const spool = join(dir, 'otlp');
    mkdirSync(spool, { recursive: true, mode: 0o700 });
    return { dir, spool };
  }
  const run = (dir: string, extra: Record<string, string> = {}) =>
    runApp(fixture('short-app.js'), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase, OTEL_METRICS_QUEUE_DIR: dir, ...extra }, undefined, 20_000);

  it('a forged file with a valid checksum and a null point list: one line, renamed *.bad, on the first start and the next', async () => {
    const { dir, spool } = freshDir('forged');
    writeFileSync(join(spool, `${DEAD}.spool`), forged(NULL_POINTS));
    const first = await run(dir);
    assert.equal(first.code, 0, first.stderr);
    assert.doesNotMatch(first.stderr, /TypeError/);
    assert.equal(first.stderr.split('\n').filter((l) => /setting aside spool file/.test(l)).length, 1, first.stderr);
    const bad = readdirSync(spool).filter((f) => f.endsWith('.bad'));
    assert.equal(bad.length, 1);
    const second = await run(dir);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /TypeError|setting aside/);
    assert.deepEqual(readdirSync(spool).filter((f) => f.endsWith('.bad')), bad);
  });

  it('shapes the chain cannot take are set aside too: strings for numbers, wrong counts, bad histograms', async () => {
    const { dir, spool } = freshDir('shapes');
    const point = { attributes: {}, startTime: [1, 0], endTime: [2, 0] };
    const metric = (dataPointType: number, value: unknown) => ({ resource: { attributes: {} }, scopeMetrics: [{ scope: { name: 'x' }, metrics: [{ descriptor: { name: 'm', description: '', unit: '' }, dataPointType, dataPoints: [{ ...point, value }] }] }] });
    const bodies = [metric(3, 'one'), metric(0, { count: 1, buckets: { boundaries: [1], counts: [1] } }), metric(7, 1), { resource: null, scopeMetrics: [] }, metric(2, 1) /* header says 1: fine */];
    bodies.forEach((b, i) => writeFileSync(join(spool, `00000000000000${i}-deadbeef0002-00000${i}.spool`), forged(b)));
    const result = await run(dir);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr.split('\n').filter((l) => /setting aside spool file/.test(l)).length, 4, result.stderr);
    assert.equal(readdirSync(spool).filter((f) => f.endsWith('.bad')).length, 4);
  });

  it('a FIFO named *.spool: the app still exits on time', async () => {
    const { dir, spool } = freshDir('fifo');
    execFileSync('mkfifo', [join(spool, `${DEAD}.spool`)]);
    const result = await run(dir);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.elapsedMs < 10_000, `took ${result.elapsedMs} ms`);
    assert.match(result.stderr, /setting aside spool file .*not a regular file/);
  });

  it('the doctor on a FIFO and a /dev/zero link named *.spool: answers at once, with a warning', async () => {
    const { dir, spool } = freshDir('doctor');
    execFileSync('mkfifo', [join(spool, `${DEAD}.spool`)]);
    symlinkSync('/dev/zero', join(spool, '000000000000002-deadbeef0001-000002.spool'));
    const run = await runDoctorCli({ OTEL_METRICS_QUEUE_DIR: dir, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpBase }, [], 20_000);
    assert.ok(run.elapsedMs < 10_000, `took ${run.elapsedMs} ms`);
    assert.match(run.stdout, /2 entries are named \*\.spool but not regular files/);
  });

  it('a symlink to /dev/zero named *.spool is not followed', async () => {
    const { dir, spool } = freshDir('zero');
    symlinkSync('/dev/zero', join(spool, `${DEAD}.spool`));
    const result = await run(dir);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.elapsedMs < 10_000, `took ${result.elapsedMs} ms`);
    assert.match(result.stderr, /setting aside spool file .*symbolic link/);
  });

  it('a file over the size bound is refused unread', async () => {
    const { dir, spool } = freshDir('huge');
    const path = join(spool, `${DEAD}.spool`);
    writeFileSync(path, 'OMPSPOOL2 P 1 100000000 0\n');
    truncateSync(path, 100_000_000); // sparse: costs no disk, would cost 100 MB of memory if read
    const result = await run(dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /setting aside spool file .*100000000 bytes, over the spool's bound/);
  });

  it('symlinks planted as temp files and as spool files: their targets are unchanged', async () => {
    const { dir, spool } = freshDir('links');
    const target = join(root, 'precious.txt');
    writeFileSync(target, 'precious\n');
    // Temp names of a dead owner (the old fixed name and the new random one) and a spool file marked delivered.
    symlinkSync(target, join(spool, `${DEAD}.spool.tmp`));
    symlinkSync(target, join(spool, '000000000000002-deadbeef0003-000002.spool.0a1b2c3d.tmp'));
    // The collector is down at exit: the app writes its spool files, and must not write through links.
    const down = await run(dir, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_METRICS_RETRY_MAX_ELAPSED_TIME: '0' });
    assert.equal(down.code, 0, down.stderr);
    const written = readdirSync(spool).filter((f) => f.endsWith('.spool'));
    assert.ok(written.length > 0, down.stderr);
    // Replace every written file by a symlink to the target: the next start must neither read nor mark it.
    for (const f of written) {
      rmSync(join(spool, f));
      symlinkSync(target, join(spool, f));
    }
    const next = await run(dir);
    assert.equal(next.code, 0, next.stderr);
    assert.equal(readFileSync(target, 'utf8'), 'precious\n');
    assert.ok(statSync(target).isFile());
    assert.ok(!readdirSync(spool).some((f) => f.endsWith('.tmp')), 'temp links removed');
  });

  it('the directory is created 0700; an existing world-writable one gets one warning line', async () => {
    const dir = join(root, 'created');
    const made = await run(dir);
    assert.equal(made.code, 0, made.stderr);
    assert.equal(statSync(join(dir, 'otlp')).mode & 0o777, 0o700);
    const { dir: open, spool } = freshDir('open');
    execFileSync('chmod', ['0777', spool]);
    const warned = await run(open);
    assert.equal(warned.stderr.split('\n').filter((l) => /spool directory .* is group- or world-writable \(mode 777\)/.test(l)).length, 1, warned.stderr);
    assert.ok(existsSync(spool));
  });
});
