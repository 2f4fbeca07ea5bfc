import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DECIMAL, quotedFigures, resultsCommit } from '../helpers/readme-figures';

// The docs/ pages quote bench figures as the README does: from bench/RESULTS.md only, with its
// commit. built-on.md quotes the bench's tables, so every decimal figure there is checked, not
// only the ratios written with an x.
const root = join(__dirname, '..', '..', '..');
const resultsPath = join(root, 'bench', 'RESULTS.md');
const results = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'));
const STRICT = new Set(['built-on.md']);

describe('docs/ benchmark figures', () => {
  for (const file of docs) {
    const quoted = quotedFigures(readFileSync(join(root, 'docs', file), 'utf8'), STRICT.has(file) ? DECIMAL : undefined);
    it(`${file}: every figure near a bench cites bench/RESULTS.md and its commit, and is in that file`, () => {
      assert.deepEqual(quoted.uncited, [], `${file}: figures next to a bench without "bench/RESULTS.md" and its commit`);
      const missing = quoted.cited.filter((q) => !results.includes(q.ratio)).map((q) => `${file} line ${q.line}: ${q.ratio}`);
      assert.deepEqual(missing, []);
      const commit = resultsCommit(results);
      for (const q of quoted.cited) assert.equal(q.commit, commit, `${file} line ${q.line} names commit ${q.commit}, RESULTS.md says ${commit}`);
    });
  }

  it('the strict pattern takes every decimal, with its x when it has one', () => {
    const q = quotedFigures('## A\nbench/RESULTS.md, commit abc1234: 0.017, 8.08 s, 3.8x, 1,000 points, v0.301.0\n', DECIMAL);
    assert.deepEqual(q.cited.map((c) => c.ratio), ['0.017', '8.08', '3.8x']);
  });
});
