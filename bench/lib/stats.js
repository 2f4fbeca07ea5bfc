// Shared by the benches: medians with their spread, the load average, and one child process per
// alternative (so no variant shares a heap, a JIT or loaded modules with another).
'use strict';
const { spawn } = require('node:child_process');
const os = require('node:os');

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

/** "median (min–max)" with `d` decimals. */
function spread(xs, d = 1) {
  return `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;
}

/** The 1/5/15-minute load average, for every figure printed on a shared machine. */
const loadAverage = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

/** Prints the load average now, labelled, as a line of the bench output. */
function printLoad(label = 'load average') {
  console.log(`${label}: ${loadAverage()} (${os.cpus().length} cores)`);
}

/** Runs `script` in a fresh node with `args` and `env`; resolves with the last stdout line parsed as JSON. */
function runJson(script, args, { env, nodeArgs = [] } = {}) {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: env ?? process.env });
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`${script} ${args.join(' ')} exited ${code}`))));
  });
}

const hasTaskset = (() => { try { require('node:child_process').execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }); return true; } catch { return false; } })();
/**
 * [command, args] that run node with `nodeArgs` on core `cpu` alone (taskset), when the machine
 * has two cores or more and taskset: a server and its load generator then never take turns on
 * one core, which is most of the spread of a per-request CPU figure. Otherwise plain node.
 */
function pinned(cpu, nodeArgs) {
  if (!hasTaskset || os.cpus().length < 2) return [process.execPath, nodeArgs];
  return ['taskset', ['-c', String(cpu % os.cpus().length), process.execPath, ...nodeArgs]];
}

/** Round `i`'s order of `names`: rotated each round, so no variant always runs first or last. */
const rotation = (names, i) => names.map((_, k) => names[(k + i) % names.length]);

module.exports = { median, spread, loadAverage, printLoad, runJson, rotation, pinned };
