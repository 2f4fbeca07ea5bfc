/** A ratio a Markdown page (the README, docs/*.md) quotes, the line it is on and the commit that paragraph names. */
export interface QuotedRatio { ratio: string; line: number; commit: string | undefined }

const RATIO = /\b\d+(?:\.\d+)?\s?[x×](?![\w-])/g;
/** Every decimal figure, ratio or not (`0.017`, `8.08`, `3.8x`): for pages that quote the bench's tables. */
export const DECIMAL = /(?<![\d.])\b\d+\.\d+(?:\s?[x×](?![\w-]))?(?!\.?\d)/g;
const CITATION = /bench\/RESULTS\.md[\s\S]{0,80}?commit\s+([0-9a-f]{7,40})/i;

/**
 * Ratios in a Markdown page (the README or a docs/ page), by section (a heading starts one):
 * once a section mentions a bench, a benchmark or `npm run bench`, the ratios after it are
 * benchmark figures. A section that names
 * bench/RESULTS.md with a commit has them `cited`; otherwise they are `uncited` ("line N: ratio").
 */
export function quotedFigures(markdown: string, figure: RegExp = RATIO): { cited: QuotedRatio[]; uncited: string[] } {
  const cited: QuotedRatio[] = [];
  const uncited: string[] = [];
  const lines = markdown.split('\n');
  let start = 0;
  for (let i = 1; i <= lines.length; i++) {
    if (i < lines.length && !/^#{1,6} /.test(lines[i])) continue;
    const section = lines.slice(start, i);
    const commit = CITATION.exec(section.join('\n'))?.[1];
    let aboutBench = false;
    section.forEach((line, k) => {
      if (/\bbench(mark)?s?\b|npm run bench|bench\//i.test(line)) aboutBench = true;
      if (!aboutBench) return;
      for (const m of line.matchAll(figure)) {
        if (commit !== undefined) cited.push({ ratio: m[0], line: start + k + 1, commit });
        else uncited.push(`line ${start + k + 1}: ${m[0]}`);
      }
    });
    start = i;
  }
  return { cited, uncited };
}

/** The commit bench/RESULTS.md says it was written at (its "- commit:" line). */
export function resultsCommit(results: string): string | undefined {
  return /^- commit:\s*([0-9a-f]{7,40})/m.exec(results)?.[1];
}
