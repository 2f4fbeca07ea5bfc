#!/usr/bin/env node
// Builds dist/ with tsc, and only when needed, so `npm run demo` and `npm test` cost one build at
// most and none when nothing changed since the last one:
//   - nothing to do when no input (sources, tsconfig, package.json, the lock file) changed
//     since the stamp of the last successful build;
//   - otherwise an incremental tsc (its .tsbuildinfo lives in dist/, so removing dist/ means a
//     full build), then compiled files whose source is gone are removed, so a deleted test can
//     never run from a stale dist/.
// `--package` builds only what the package ships (tsconfig.package.json: no tests), which is
// what `prepare` (npm pack, installs from git) needs. `--clean` removes dist/ first.
'use strict';
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const pkgOnly = process.argv.includes('--package');
const config = pkgOnly ? 'tsconfig.package.json' : 'tsconfig.json';
const dirs = pkgOnly ? ['core', 'src', 'exporters', 'instrumentation'] : ['core', 'src', 'exporters', 'instrumentation', 'test'];
const stampFile = path.join(dist, pkgOnly ? '.build-stamp-package' : '.build-stamp');
const SOURCE = /\.m?ts$/;

function walk(dir, out = []) {
  let entries;
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

if (process.argv.includes('--clean')) fs.rmSync(dist, { recursive: true, force: true });

const inputs = [...dirs.flatMap((d) => walk(path.join(root, d)).filter((f) => SOURCE.test(f))), ...['tsconfig.json', config, 'package.json', 'package-lock.json', 'scripts/bundle-preload.js'].map((f) => path.join(root, f))];
const hash = createHash('sha256');
for (const f of [...new Set(inputs)].sort()) {
  const st = fs.statSync(f, { throwIfNoEntry: false });
  hash.update(`${path.relative(root, f)}\0${st ? `${st.size}:${st.mtimeMs}` : 'missing'}\n`);
}
const stamp = hash.digest('hex');
// The preload bundle (scripts/bundle-preload.js) is built from tsc's output after every build.
const bundleScript = path.join(root, 'scripts', 'bundle-preload.js');
const bundled = path.join(dist, 'preload', 'register.js');
if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp && fs.existsSync(bundled)) {
  console.log(`build: dist/ is up to date (${config})`);
  process.exit(0);
}

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const buildInfo = path.join(dist, pkgOnly ? '.tsbuildinfo-package' : '.tsbuildinfo');
execFileSync(process.execPath, [tsc, '-p', path.join(root, config), '--incremental', '--tsBuildInfoFile', buildInfo], { stdio: 'inherit' });

// Outputs whose source is gone: x.js / x.d.ts / x.js.map from x.ts, and the .mjs forms from x.mts.
const sources = new Set(inputs.map((f) => path.relative(root, f)));
let pruned = 0;
for (const d of dirs) {
  for (const out of walk(path.join(dist, d))) {
    const rel = path.relative(dist, out);
    const m = /^(.*?)(\.d\.ts|\.js\.map|\.js|\.d\.mts|\.mjs\.map|\.mjs)$/.exec(rel);
    if (!m) continue;
    const src = m[1] + (m[2].includes('m') && !m[2].startsWith('.js') ? '.mts' : '.ts');
    if (!sources.has(src)) { fs.rmSync(out); pruned++; }
  }
}
// Declarations that name Node types (Buffer, NodeJS.*, node:* modules) carry
// `/// <reference types="node" />`, so they compile in a consumer whose tsconfig sets "types"
// to a list without node, or to [] (TypeScript 5.5+ no longer keeps source directives).
const NODE_TYPES = /\bNodeJS\.|\bBuffer\b|['"]node:|\bAbortSignal\b|\bsetTimeout\b/;
const REFERENCE = '/// <reference types="node" />\n';
let referenced = 0;
for (const d of ['core', 'src', 'exporters', 'instrumentation']) {
  for (const out of walk(path.join(dist, d))) {
    if (!out.endsWith('.d.ts')) continue;
    const text = fs.readFileSync(out, 'utf8');
    if (text.startsWith(REFERENCE) || !NODE_TYPES.test(text)) continue;
    fs.writeFileSync(out, REFERENCE + text);
    referenced++;
  }
}
execFileSync(process.execPath, [bundleScript], { stdio: 'inherit' });
fs.writeFileSync(stampFile, stamp);
console.log(`build: compiled with ${config}${pruned ? `; removed ${pruned} file(s) whose source is gone` : ''}`);
