import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DoctorReport } from '../../src/doctor/doctor-report';
import { childEnv, ROOT } from '../helpers/spawn-app';

/** The built command line. */
export const CLI = join(ROOT, 'dist/src/cli.js');

/** What one `otel-metrics-pipeline doctor` run left behind. */
export interface DoctorRun {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  /** The parsed document when `--json` was given. */
  report?: DoctorReport;
}

/** Runs `node dist/src/cli.js doctor ARGS` as a real process with only `env`'s OTEL_* variables; killed after `killAfterMs`. */
export function runDoctorCli(env: Record<string, string>, args: string[] = [], killAfterMs = 30_000): Promise<DoctorRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, 'doctor', ...args], { env: childEnv(env), cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d; });
  child.stderr.on('data', (d: Buffer) => { stderr += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      const run: DoctorRun = { code, stdout, stderr, elapsedMs: Date.now() - started };
      if (args.includes('--json')) run.report = JSON.parse(stdout) as DoctorReport;
      resolve(run);
    });
  });
}

/** The checks of destination `name` by check name. */
export function checksOf(report: DoctorReport, name = 'otlp'): Record<string, DoctorReport['destinations'][number]['checks'][number]> {
  const d = report.destinations.find((x) => x.name === name);
  if (!d) throw new Error(`no destination ${name} in ${JSON.stringify(report.destinations)}`);
  return Object.fromEntries(d.checks.map((c) => [c.name, c]));
}
