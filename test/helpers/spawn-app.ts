import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Repository root (tests run from dist/test). */
export const ROOT = join(__dirname, '../../..');
/** The built preload entry. */
export const REGISTER = join(ROOT, 'dist/preload/register.js');
/** A compiled fixture app by name. */
export const fixture = (name: string): string => join(ROOT, 'dist/test/fixtures', name);

/** What a finished app left behind. */
export interface AppResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** A running app with its output so far. */
export interface RunningApp {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout has matched `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the time stderr first matched `pattern`. */
  waitForError(pattern: RegExp, timeoutMs?: number): Promise<number>;
  /** Resolves when the process has exited. */
  exited: Promise<AppResult>;
}

/** Environment for a child: ours minus any OTEL_* the developer has set, plus `env`. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && k !== 'NODE_OPTIONS'));
  return { ...base, ...env };
}

/** Spawns `node <nodeArgs> <script>` and collects its output. */
export function startApp(script: string, env: Record<string, string>, nodeArgs: string[] = ['--require', REGISTER]): RunningApp {
  const started = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, script], { env: childEnv(env), cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners: Array<() => void> = [];
  child.stdout!.on('data', (d: Buffer) => { out += d; listeners.forEach((l) => l()); });
  const errListeners: Array<() => void> = [];
  child.stderr!.on('data', (d: Buffer) => { err += d; errListeners.forEach((l) => l()); });
  const exited = new Promise<AppResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err, elapsedMs: Date.now() - started }));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} on stdout in ${timeoutMs}ms; stdout=${out} stderr=${err}`)), timeoutMs);
        const check = () => { if (pattern.test(out)) { clearTimeout(timer); resolve(); } };
        listeners.push(check);
        check();
      });
    },
    waitForError(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} on stderr in ${timeoutMs}ms; stderr=${err}`)), timeoutMs);
        const check = () => { if (pattern.test(err)) { clearTimeout(timer); resolve(Date.now()); } };
        errListeners.push(check);
        check();
      });
    },
  };
}

/** Runs an app to completion, killing it after `timeoutMs`. */
export async function runApp(script: string, env: Record<string, string>, nodeArgs?: string[], timeoutMs = 30_000): Promise<AppResult> {
  const app = startApp(script, env, nodeArgs);
  const timer = setTimeout(() => app.child.kill('SIGKILL'), timeoutMs);
  const result = await app.exited;
  clearTimeout(timer);
  return result;
}
