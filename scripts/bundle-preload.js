#!/usr/bin/env node
// Bundles the preload (dist/src/register.js, as tsc wrote it) into dist/preload/register.js, the
// file `--require otel-metrics-pipeline/register` and `--import` load. One file instead of ~290
// (each CommonJS module costs a wrapper function, a Module object and its own parse) is most of
// what keeps the preload's start-up peak under +20 MiB over `node -e 0` (issue 21). Why each
// thing stays outside the bundle is in docs/development.md ("The preload bundle").
// Run by .ci/build.js after tsc; `node scripts/bundle-preload.js` alone works on a built dist/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const outFile = path.join(dist, 'preload', 'register.js');

// dist files the bundle requires instead of carrying a copy, so there is one of each in the process:
// the classes users test with instanceof (the main entry exports the same files), and the bcrypt
// verifier, whose worker script is found next to it (__dirname).
const SHARED_FILES = [
  'core/errors.js',
  'exporters/delivery/export-error.js',
  'exporters/prometheus/bcrypt-verifier.js',
].map((f) => path.join(dist, f));

// Packages left to node's resolution: @opentelemetry/api when the app's copy is another version
// (see apiChoice below), upstream's optional OTLP and Prometheus exporters
// (optional peers, resolved only when chosen), and bcryptjs (loaded only in the bcrypt worker).
const EXTERNAL_PACKAGES = [
  '@opentelemetry/api',
  '@opentelemetry/exporter-metrics-otlp-grpc',
  '@opentelemetry/exporter-metrics-otlp-http',
  '@opentelemetry/exporter-metrics-otlp-proto',
  '@opentelemetry/exporter-prometheus',
  'bcryptjs',
];

const sharedFiles = {
  name: 'shared-dist-files',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      let target = path.resolve(args.resolveDir, args.path);
      if (!target.endsWith('.js')) target += '.js';
      if (!SHARED_FILES.includes(target)) return undefined;
      const rel = path.relative(path.dirname(outFile), target).split(path.sep).join('/');
      return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
    });
  },
};

// The SDK packages ship CommonJS and ES module builds. The bundle takes the ES modules: what they
// import from each other (semantic-conventions' ~200 KiB of constants above all) is then
// tree-shaken, where their CommonJS builds would bring every export along.
const ESM_BUILDS = /^@opentelemetry\/(sdk-metrics|core|resources|otlp-transformer|semantic-conventions)$/;
const esmBuilds = {
  name: 'sdk-esm-builds',
  setup(build) {
    build.onResolve({ filter: ESM_BUILDS }, async (args) => {
      if (args.pluginData === 'esm') return undefined;
      const r = await build.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir, pluginData: 'esm' });
      return r.errors.length ? undefined : { path: r.path };
    });
  },
};

// Our tsc output requires packages whole, and `require()` keeps every export, so the ES module
// builds alone shake nothing that our files ask for: @opentelemetry/resources' index, say, would
// still start the service-instance-id detector, which loads node:crypto at start-up. So our files
// get a stand-in for each SDK package that re-exports only the names dist/ uses (read from tsc's
// output below; a require of another shape fails the build), and the rest is shaken away.
const SHAKEN = ['@opentelemetry/sdk-metrics', '@opentelemetry/core', '@opentelemetry/resources', '@opentelemetry/otlp-transformer'];

function namesUsed() {
  const used = new Map(SHAKEN.map((p) => [p, new Set()]));
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (file.endsWith('.js')) scan(file, fs.readFileSync(file, 'utf8'));
    }
  };
  const scan = (file, text) => {
    for (const pkg of SHAKEN) {
      const quoted = `["']${pkg.replace(/[/]/g, '\\/')}["']`;
      const sites = text.match(new RegExp(`require\\(${quoted}\\)`, 'g'))?.length ?? 0;
      let understood = 0;
      const names = used.get(pkg);
      for (const m of text.matchAll(new RegExp(`(?:const|let|var) (\\w+) = require\\(${quoted}\\)`, 'g'))) {
        understood++;
        for (const u of text.matchAll(new RegExp(`\\b${m[1]}\\.(\\w+)`, 'g'))) names.add(u[1]);
      }
      for (const m of text.matchAll(new RegExp(`(?:const|let|var) \\{([^}]*)\\} = require\\(${quoted}\\)`, 'g'))) {
        understood++;
        for (const n of m[1].split(',')) if (n.trim()) names.add(n.split(':')[0].trim());
      }
      for (const m of text.matchAll(new RegExp(`require\\(${quoted}\\)\\.(\\w+)`, 'g'))) { understood++; names.add(m[1]); }
      if (understood !== sites) throw new Error(`bundle-preload: ${path.relative(root, file)} requires ${pkg} in a form this script cannot read the names of; use const x = require(...), a destructuring, or require(...).name`);
    }
  };
  for (const d of ['core', 'src', 'exporters', 'instrumentation']) walk(path.join(dist, d));
  return used;
}

function shakenPackages(used) {
  return {
    name: 'shaken-sdk-packages',
    setup(build) {
      build.onResolve({ filter: /^@opentelemetry\/[a-z-]+$/ }, (args) => (SHAKEN.includes(args.path) && args.importer.startsWith(dist + path.sep) ? { path: args.path, namespace: 'shaken' } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'shaken' }, (args) => ({ contents: `export { ${[...used.get(args.path)].sort().join(', ')} } from '${args.path}';`, resolveDir: dist, loader: 'js' }));
    },
  };
}

// @opentelemetry/api is bundled too, and used only when the app's copy (a peer dependency) is the
// very same version: the api keeps its state in globals under its major version, so two copies of
// one version are one api; but it registers a global only for its exact version, so a bundled
// copy of another version would lock the app's own api out (no tracer provider, no propagator).
// For any other version, or none found, the app's copy is required as before. Loading the
// api's ~50 CommonJS files was about 5 MiB of the preload's start-up peak RSS.
const apiDir = path.join(root, 'node_modules', '@opentelemetry', 'api');
const apiChoice = {
  name: 'api-choice',
  setup(build) {
    build.onResolve({ filter: /^@opentelemetry\/api$/ }, (args) => (args.namespace === 'api-choice' ? { path: args.path, external: true } : { path: 'api', namespace: 'api-choice' }));
    build.onResolve({ filter: /^bundled-api$/, namespace: 'api-choice' }, () => ({ path: path.join(apiDir, 'dist', 'index.mjs') }));
    // The choice is an ES module that exports each of the api's names as a constant read once,
    // not a CommonJS module.exports: the SDK's ES modules then bind those constants directly.
    // Through module.exports each read on the record path (ValueType.INT, diag) went through
    // two of esbuild's re-export getters, about 15 % of the CPU of a counter.add. The api's
    // exports are classes, enums and singletons that never change, so a snapshot is the same.
    build.onLoad({ filter: /.*/, namespace: 'api-choice' }, () => {
      const version = JSON.parse(fs.readFileSync(path.join(apiDir, 'package.json'), 'utf8')).version;
      const names = Object.keys(require(apiDir)).filter((n) => n !== 'default' && n !== '__esModule').sort();
      return { loader: 'js', resolveDir: root, contents: `
let app;
try {
  const entry = require.resolve('@opentelemetry/api');
  app = JSON.parse(require('node:fs').readFileSync(require('node:path').join(entry, '..', '..', 'package.json'), 'utf8')).version;
} catch {}
const chosen = app === ${JSON.stringify(version)} ? require('bundled-api') : require('@opentelemetry/api');
${names.map((n) => `export const ${n} = chosen.${n};`).join('\n')}
export default chosen.default;
` };
    });
  },
};

async function bundle() {
  const used = namesUsed();
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(dist, 'src', 'register.js')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    sourcemap: true,
    external: EXTERNAL_PACKAGES.filter((p) => p !== '@opentelemetry/api'),
    plugins: [apiChoice, sharedFiles, shakenPackages(used), esmBuilds],
    logLevel: 'warning',
    metafile: true,
    legalComments: 'none',
    // Whitespace and syntax only: a smaller file is a smaller parse at start-up (about 2 MiB of
    // peak RSS against the unminified bundle); names stay, so a stack trace still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    banner: { js: '// otel-metrics-pipeline preload, bundled by scripts/bundle-preload.js from dist/src/register.js; sources in register.js.map' },
  });
  for (const f of SHARED_FILES) {
    if (!fs.existsSync(f)) throw new Error(`bundle-preload: ${path.relative(root, f)} is missing; it is meant to stay outside the bundle`);
  }
  return result;
}

module.exports = { bundle, outFile };

if (require.main === module) {
  bundle().then((r) => {
    const inputs = Object.keys(r.metafile.inputs).length;
    console.log(`bundle-preload: ${path.relative(root, outFile)} from ${inputs} files (${(fs.statSync(outFile).size / 1024).toFixed(0)} KiB)`);
  }, (err) => { console.error(err); process.exit(1); });
}
