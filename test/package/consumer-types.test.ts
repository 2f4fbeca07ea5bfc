import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { childEnv, ROOT } from '../helpers/spawn-app';

const run = promisify(execFile);
const COMPILERS = { 'TypeScript 5.9': 'typescript/bin/tsc', 'TypeScript 7': 'typescript7/bin/tsc' } as const;
const RESOLUTIONS = {
  node10: { module: 'commonjs', moduleResolution: 'node10' },
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const;
const TYPES = { 'types unset': undefined, '"types": []': [] as string[] } as const;

const CONSUMER = `import { startMetrics, ConfigError, type MetricsOptions } from 'otel-metrics-pipeline';
import { withRetry, ConsoleMetricExporter } from 'otel-metrics-pipeline/exporters';
import { registerCollector, setHttpRoute } from 'otel-metrics-pipeline/instrumentation';
import 'otel-metrics-pipeline/register';
const options: MetricsOptions = { exporters: ['console'], exporterOptions: { influxdb: { api: 'v2' } } };
const handle = startMetrics(options);
void handle.shutdown();
void [ConfigError, withRetry, ConsoleMetricExporter, registerCollector, setHttpRoute];
`;

// One pack (of the dist/ this test runs from: `npm test` builds first, so no second build), then the tarball's .d.ts files compiled by a strict consumer under every
// compiler x moduleResolution x "types" setting (not skipLibCheck: our declarations are the
// subject). The consumer's node_modules links the repository's, so nothing is downloaded.
describe('the packed declarations compile in a strict TypeScript consumer', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'omp-consumer-'));
    const env = childEnv({ PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false' });
    const tarball = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim().split('\n').at(-1)!;
    const modules = join(work, 'node_modules');
    mkdirSync(join(modules, 'otel-metrics-pipeline'), { recursive: true });
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', join(modules, 'otel-metrics-pipeline'), '--strip-components=1']);
    for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
      if (!entry.startsWith('.') && entry !== 'otel-metrics-pipeline') symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
    }
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    writeFileSync(join(work, 'consumer.ts'), CONSUMER);
  });
  after(() => { if (work) rmSync(work, { recursive: true, force: true }); });

  // TypeScript 7 removed moduleResolution node10 (TS5108), so node10 runs under 5.9 only.
  it('under TypeScript 5.9 and 7, moduleResolution node10 (5.9 only), node16, nodenext, bundler, with and without "types"', async () => {
    const cases = Object.entries(COMPILERS).flatMap(([compiler, bin]) => Object.entries(RESOLUTIONS).filter(([resolution]) => !(compiler === 'TypeScript 7' && resolution === 'node10')).flatMap(([resolution, r]) => Object.entries(TYPES).map(([types, t]) => ({ name: `${compiler}, ${resolution}, ${types}`, bin, config: { compilerOptions: { ...r, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, ...(t ? { types: t } : {}) }, files: ['consumer.ts'] } }))));
    const failures: string[] = [];
    // Two at a time: the compile matrix in parallel without starving the machine.
    for (let i = 0; i < cases.length; i += 2) {
      await Promise.all(cases.slice(i, i + 2).map(async (c, j) => {
        const file = join(work, `tsconfig.${i + j}.json`);
        writeFileSync(file, JSON.stringify(c.config));
        await run(process.execPath, [join(ROOT, 'node_modules', c.bin), '-p', file], { cwd: work }).catch((e: { stdout: string }) => failures.push(`${c.name}:\n${e.stdout}`));
      }));
    }
    assert.deepEqual(failures, []);
  });
});
