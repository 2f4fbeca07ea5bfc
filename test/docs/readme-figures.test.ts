import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { quotedFigures, resultsCommit } from '../helpers/readme-figures';

// The README quotes benchmark figures from bench/RESULTS.md only (written by `npm run bench`),
// naming the commit they came from. No timing here: this reads two files.
const root = join(__dirname, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const resultsPath = join(root, 'bench', 'RESULTS.md');
const results = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';

describe('README benchmark figures', () => {
  const quoted = quotedFigures(readme);

  it('every line quoting a bench ratio cites bench/RESULTS.md', () => {
    assert.deepEqual(quoted.uncited, [], 'ratios next to a bench, without "bench/RESULTS.md" and its commit');
  });

  it('every ratio the README quotes from bench/RESULTS.md is in that file', () => {
    const missing = quoted.cited.filter((q) => !results.includes(q.ratio)).map((q) => `README line ${q.line}: ${q.ratio}`);
    assert.deepEqual(missing, []);
  });

  it('the commit the README names is the one bench/RESULTS.md was written at', () => {
    const commit = resultsCommit(results);
    for (const q of quoted.cited) assert.equal(q.commit, commit, `README line ${q.line} names commit ${q.commit}, RESULTS.md says ${commit}`);
  });

  it('finds ratios and their citation (the checker itself)', () => {
    const sample = '## A\nScrape: 4.8x upstream (bench/RESULTS.md, commit abc1234).\n\n| ours | 2.5x |\n## B\nWithin 1.0–1.8x of the size.\n\nA bench says 2.0× here.\n';
    const q = quotedFigures(sample);
    assert.deepEqual(q.cited.map((c) => [c.ratio, c.commit]), [['4.8x', 'abc1234'], ['2.5x', 'abc1234']]);
    assert.deepEqual(q.uncited, ['line 8: 2.0×']);
    assert.equal(resultsCommit('- commit: 1a2b3c4\n'), '1a2b3c4');
  });
});
