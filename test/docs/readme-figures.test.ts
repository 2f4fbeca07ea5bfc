import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { quotedFigures, resultsCommit } from '../helpers/readme-figures';

// The README and the pages under docs/ quote benchmark figures from bench/RESULTS.md only
// (written by `npm run bench`), naming the commit they came from. No timing here: this reads files.
const root = join(__dirname, '..', '..', '..');
const resultsPath = join(root, 'bench', 'RESULTS.md');
const results = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';

function markdownUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? markdownUnder(p) : e.endsWith('.md') ? [p] : [];
  });
}
const pages = [join(root, 'README.md'), ...markdownUnder(join(root, 'docs'))].map((file) => ({
  name: relative(root, file),
  quoted: quotedFigures(readFileSync(file, 'utf8')),
}));

describe('benchmark figures in README.md and docs/', () => {
  it('reads the README and the docs pages that quote bench figures', () => {
    assert.ok(pages.some((p) => p.name === 'README.md'));
    assert.ok(pages.some((p) => p.name === join('docs', 'performance.md') && p.quoted.cited.length > 0), 'docs/performance.md quotes bench/RESULTS.md');
  });

  it('every line quoting a bench ratio cites bench/RESULTS.md', () => {
    const uncited = pages.flatMap((p) => p.quoted.uncited.map((u) => `${p.name} ${u}`));
    assert.deepEqual(uncited, [], 'ratios next to a bench, without "bench/RESULTS.md" and its commit');
  });

  it('every ratio quoted from bench/RESULTS.md is in that file', () => {
    const missing = pages.flatMap((p) => p.quoted.cited.filter((q) => !results.includes(q.ratio)).map((q) => `${p.name} line ${q.line}: ${q.ratio}`));
    assert.deepEqual(missing, []);
  });

  it('the commit each page names is the one bench/RESULTS.md was written at', () => {
    const commit = resultsCommit(results);
    for (const p of pages) {
      for (const q of p.quoted.cited) assert.equal(q.commit, commit, `${p.name} line ${q.line} names commit ${q.commit}, RESULTS.md says ${commit}`);
    }
  });

  it('finds ratios and their citation (the checker itself)', () => {
    const sample = '## A\nScrape: 4.8x upstream (bench/RESULTS.md, commit abc1234).\n\n| ours | 2.5x |\n## B\nWithin 1.0–1.8x of the size.\n\nA bench says 2.0× here.\n';
    const q = quotedFigures(sample);
    assert.deepEqual(q.cited.map((c) => [c.ratio, c.commit]), [['4.8x', 'abc1234'], ['2.5x', 'abc1234']]);
    assert.deepEqual(q.uncited, ['line 8: 2.0×']);
    assert.equal(resultsCommit('- commit: 1a2b3c4\n'), '1a2b3c4');
  });
});
