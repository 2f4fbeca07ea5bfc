import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// The README's Layout block is the real folder tree: every folder it names exists, and every
// source folder exists in it, so a move shows up here.
const root = join(__dirname, '..', '..', '..');
const SOURCE_ROOTS = ['core', 'exporters', 'instrumentation', 'src'];

/** Folder paths in a layout block: `name/` tokens at the start of a line, nested by two-space indents. */
export function layoutFolders(block: string): string[] {
  const out: string[] = [];
  const parents: string[] = [];
  for (const line of block.split('\n')) {
    const m = /^( *)((?:[\w.-]+\/ +)+)/.exec(line + ' ');
    if (!m) continue;
    const depth = m[1]!.length / 2;
    parents.length = depth;
    const names = m[2]!.trim().split(/ +/).map((n) => n.replace(/\/$/, ''));
    for (const n of names) out.push([...parents, n].join('/'));
    parents[depth] = names[0]!;
  }
  return out;
}

function foldersUnder(dir: string, rel: string): string[] {
  return readdirSync(join(root, dir)).filter((e) => statSync(join(root, dir, e)).isDirectory())
    .flatMap((e) => [`${rel}/${e}`, ...foldersUnder(join(dir, e), `${rel}/${e}`)]);
}

describe('README layout', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /## Layout[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const named = new Set(layoutFolders(block));

  it('every folder the Layout block names exists', () => {
    const missing = [...named].filter((f) => { try { return !statSync(join(root, f)).isDirectory(); } catch { return true; } });
    assert.deepEqual(missing, []);
  });

  it('every source folder is in the Layout block (public/ assets aside)', () => {
    const real = SOURCE_ROOTS.flatMap((d) => [d, ...foldersUnder(d, d)]).filter((f) => !f.endsWith('/public'));
    assert.deepEqual(real.filter((f) => !named.has(f)), []);
  });

  it('reads nesting and several folders on a line (the checker itself)', () => {
    assert.deepEqual(layoutFolders('a/   x\n  b/  c/   y\n    d/ z\ne/ w\n'), ['a', 'a/b', 'a/c', 'a/b/d', 'e']);
  });
});
