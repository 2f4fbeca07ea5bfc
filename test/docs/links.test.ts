import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';

// A newcomer follows links: every relative link in README.md, CHANGELOG.md and docs/ must reach a
// file, and a #fragment a heading of it (GitHub's slugs).
const root = join(__dirname, '..', '..', '..');

function markdownUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? markdownUnder(p) : e.endsWith('.md') ? [p] : [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation out, spaces to dashes. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (m) out.add(slug(m[1]!));
  }
  return out;
}

function links(markdown: string): string[] {
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
}

describe('documentation links', () => {
  const files = [join(root, 'README.md'), join(root, 'CHANGELOG.md'), ...markdownUnder(join(root, 'docs'))];

  it('every relative link reaches a file and a heading', () => {
    const broken: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const link of links(text)) {
        const [path, fragment] = link.split('#') as [string, string | undefined];
        const target = path === '' ? file : join(dirname(file), path);
        if (!existsSync(target)) { broken.push(`${relative(root, file)}: ${link}`); continue; }
        if (fragment && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(fragment)) broken.push(`${relative(root, file)}: ${link} (no such heading)`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('slugs as GitHub makes them (the checker itself)', () => {
    assert.equal(slug('Which lines each log level shows'), 'which-lines-each-log-level-shows');
    assert.equal(slug('Delivery: retry, queue, spool, fallback'), 'delivery-retry-queue-spool-fallback');
    assert.equal(slug('In code: `startMetrics`'), 'in-code-startmetrics');
  });
});
