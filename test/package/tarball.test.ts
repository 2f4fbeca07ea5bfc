import assert from 'node:assert/strict';
import { execFileSync, spawn, type ExecFileSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../helpers/free-port';
import { childEnv, ROOT } from '../helpers/spawn-app';

// npm from PATH (the one `npm test` runs under), with the node running the tests first on PATH.
const BIN = dirname(process.execPath);
const NPM = 'npm';
// The package's own TypeScript 5.9, by path: node_modules/.bin/tsc may be the typescript7 alias's.
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const options: ExecFileSyncOptions = {
    cwd,
    env: childEnv({ PATH: `${BIN}:${process.env.PATH ?? ''}`, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  };
  try {
    return execFileSync(command, args, options).toString();
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

// What a new user does: clone, install, pack; then install the tarball into an app of their own
// (its dependencies from the npm registry, through npm's cache) and preload it.
describe('the package built from a fresh clone', () => {
  let work: string;
  let app: string;
  let installed: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'omp-tarball-'));
    const clone = join(work, 'clone');
    run('git', ['clone', '--quiet', ROOT, clone], work);
    // Scripts off for the install only: `npm pack` must build on its own (prepare).
    run(NPM, ['ci', '--prefer-offline', '--ignore-scripts'], clone);
    const tarball = run(NPM, ['pack', '--silent', '--pack-destination', work], clone).trim().split('\n').at(-1)!;
    app = join(work, 'app');
    run('mkdir', ['-p', app], work);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true }));
    run(NPM, ['install', '--prefer-offline', join(work, tarball)], app);
    installed = join(app, 'node_modules/otel-metrics-pipeline');
    const use = "metrics.getMeter('scratch').createCounter('scratch.requests').add(3, { route: '/' });\n";
    writeFileSync(join(app, 'app.js'), `const { metrics } = require('@opentelemetry/api');\n${use}`);
    writeFileSync(join(app, 'app.mjs'), `import { metrics } from '@opentelemetry/api';\n${use}`);
  });
  after(() => { if (work) rmSync(work, { recursive: true, force: true }); });

  for (const [flag, script] of [['--require', 'app.js'], ['--import', 'app.mjs']] as const) {
    it(`runs an app under ${flag} otel-metrics-pipeline/register`, () => {
      const out = run(process.execPath, [flag, 'otel-metrics-pipeline/register', script], app, { OTEL_METRICS_EXPORTER: 'console' });
      assert.match(out, /scratch\.requests\{route="\/"\} 3/);
    });
  }

  it('installs the otel-metrics-pipeline command (doctor)', () => {
    const out = run(join(app, 'node_modules/.bin/otel-metrics-pipeline'), ['doctor', '--no-send'], app, { OTEL_METRICS_EXPORTER: 'console' });
    assert.match(out, /otel-metrics-pipeline doctor/);
  });

  it('installs the dashboard command with everything its page loads (no CDN): page, script, uPlot, the OTLP schema', async () => {
    const [page, otlp, grpc] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(join(app, 'node_modules/.bin/otel-metrics-pipeline'), ['dashboard', '--allow-anonymous', '--port', String(page), '--otlp-http-port', String(otlp), '--otlp-grpc-port', String(grpc)], { cwd: app, env: childEnv({ PATH: `${BIN}:${process.env.PATH ?? ''}` }), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => { out += d; if (/Login:/.test(out)) resolve(); });
        child.stderr!.on('data', (d: Buffer) => { out += d; });
        child.on('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${out}`)));
      });
      for (const path of ['/', '/app.js', '/chart.js', '/heatmap.js', '/panels.js', '/style.css', '/uplot.min.js', '/uplot.min.css']) {
        assert.equal((await fetch(`http://127.0.0.1:${page}${path}`)).status, 200, path);
      }
      const sent = await fetch(`http://127.0.0.1:${otlp}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceMetrics":[]}' });
      assert.equal(sent.status, 200, 'the schema loaded and decoded');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('holds the build, the licence and no tests; the app shares one @opentelemetry/api (a peer)', () => {
    assert.ok(existsSync(join(installed, 'dist/src/register.js')));
    assert.ok(existsSync(join(installed, 'dist/preload/register.js')), 'the preload bundle ships');
    assert.match(readFileSync(join(installed, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
    assert.ok(!existsSync(join(installed, 'dist/test')));
    assert.ok(!existsSync(join(installed, 'node_modules/@opentelemetry/api')), 'a nested second copy of the api');
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string>; dependencies: Record<string, string> };
    assert.ok(pkg.peerDependencies['@opentelemetry/api']);
    assert.equal(pkg.dependencies['@opentelemetry/api'], undefined);
  });

  it('the preload uses its bundled @opentelemetry/api only when the app has that very version', () => {
    // The api registers its globals under its exact version and refuses any other, so a copy of
    // another version in the preload would lock the app's own api out of registering anything.
    // Either way the app's api must reach our MeterProvider: the bundle's api names are constants
    // read once from whichever copy was chosen.
    writeFileSync(join(app, 'which-api.js'), [
      "const loaded = Object.keys(require.cache).some((f) => f.includes('@opentelemetry/api/dist'));",
      "const provider = require('@opentelemetry/api').metrics.getMeterProvider();",
      "console.log('app api loaded: ' + loaded + '; provider: ' + provider.constructor.name);",
      '',
    ].join('\n'));
    const env = { OTEL_METRICS_EXPORTER: 'none' };
    assert.match(run(process.execPath, ['--require', 'otel-metrics-pipeline/register', 'which-api.js'], app, env), /app api loaded: false; provider: (?!Noop)\w+/);
    const pkgFile = join(app, 'node_modules/@opentelemetry/api/package.json');
    const original = readFileSync(pkgFile, 'utf8');
    writeFileSync(pkgFile, original.replace(/"version": "([^"]+)"/, '"version": "$1-other"'));
    try {
      assert.match(run(process.execPath, ['--require', 'otel-metrics-pipeline/register', 'which-api.js'], app, env), /app api loaded: true; provider: (?!Noop)\w+/);
    } finally {
      writeFileSync(pkgFile, original);
    }
  });

  it('ships source maps that resolve: every source is embedded or shipped', () => {
    const maps = files(join(installed, 'dist')).filter((f) => f.endsWith('.js.map'));
    assert.ok(maps.length > 10);
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[]; sourcesContent?: string[] };
      sources.forEach((source, i) => {
        assert.ok(sourcesContent?.[i] || existsSync(resolve(dirname(map), source)), `${map}: ${source} does not resolve`);
      });
    }
  });

  for (const resolution of ['node10', 'node16', 'bundler'] as const) {
    it(`type-checks the root and subpath imports under moduleResolution ${resolution}`, () => {
      writeFileSync(join(app, 'check.ts'), [
        "import { startMetrics, type MetricsHandle } from 'otel-metrics-pipeline';",
        "import { withRetry } from 'otel-metrics-pipeline/exporters';",
        "import * as instrumentation from 'otel-metrics-pipeline/instrumentation';",
        "import 'otel-metrics-pipeline/register';",
        "const handle: MetricsHandle = startMetrics({ exporters: ['console'] });",
        'void handle; void withRetry; void instrumentation;',
      ].join('\n'));
      const module = { node10: 'commonjs', node16: 'node16', bundler: 'esnext' }[resolution];
      run(TSC, ['--noEmit', '--strict', '--skipLibCheck', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'),
        '--module', module, '--moduleResolution', resolution, 'check.ts'], app);
    });
  }
});
