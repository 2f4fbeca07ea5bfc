import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One file the page loads. */
export interface PageAsset {
  type: string;
  body: Buffer;
}

/**
 * The page's files, read once at start: our HTML, script and style (src/dashboard/public,
 * shipped as files) and uPlot from its own package, so the page needs no CDN or network.
 */
export function loadPageAssets(): Map<string, PageAsset> {
  const publicDir = join(__dirname, '../../../src/dashboard/public');
  const uplotDir = join(dirname(require.resolve('uplot/package.json')), 'dist');
  const assets = new Map<string, PageAsset>();
  const add = (path: string, file: string, type: string) => assets.set(path, { type, body: readFileSync(file) });
  add('/', join(publicDir, 'index.html'), 'text/html; charset=utf-8');
  for (const script of ['app.js', 'chart.js', 'heatmap.js', 'panels.js']) add(`/${script}`, join(publicDir, script), 'text/javascript; charset=utf-8');
  add('/style.css', join(publicDir, 'style.css'), 'text/css; charset=utf-8');
  add('/uplot.min.js', join(uplotDir, 'uPlot.iife.min.js'), 'text/javascript; charset=utf-8');
  add('/uplot.min.css', join(uplotDir, 'uPlot.min.css'), 'text/css; charset=utf-8');
  return assets;
}
