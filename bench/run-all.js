// `npm run bench`: runs every bench, one after another, each as its own node process, echoes its
// output and writes bench/RESULTS.md: the date, the commit, the machine, the load average before
// each bench, and every table. The README quotes figures from that file only
// (test/readme-figures.test.ts fails when it quotes a ratio the file does not contain).
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadAverage } = require('./lib/stats');

// [script, node flags]; BENCH_ONLY=record,http-overhead runs a subset (RESULTS.md is then partial, and says so).
const BENCHES = [
  ['startup.js', []],
  ['delivery.js', ['--expose-gc']],
  ['collect-export.js', []],
  ['http-overhead.js', []],
  ['http-handlers.js', []],
  ['record.js', []],
  ['prometheus-scrape.js', []],
  ['influx-line-protocol.js', ['--expose-gc']],
  ['collect-cycle.js', []],
  ['coalesce.js', ['--expose-gc']],
  ['dashboard.js', []],
  ['cluster-scrape.js', []],
  ['thread-counter-add.js', []],
];

function git(args) {
  try { return execFileSync('git', args, { cwd: path.join(__dirname, '..'), encoding: 'utf8' }).trim(); } catch { return 'unknown'; }
}

function run(script, flags) {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [...flags, path.join(__dirname, script)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}`))));
  });
}

async function main() {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim().replace(/\.js$/, ''));
  const selected = BENCHES.filter(([s]) => !only || only.includes(s.replace(/\.js$/, '')));
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  const commit = `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ' (with uncommitted changes)' : ''}`;
  const cpus = os.cpus();
  const parts = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (bench/run-all.js). Quote figures from this file only, with its commit.`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- commit: ${commit}`,
    `- machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()} ${os.arch()}; node ${process.version}`,
    `- benches: ${selected.map(([s]) => s).join(', ')}${only ? ' (a subset: BENCH_ONLY)' : ''}`,
    '',
  ];
  for (const [script, flags] of selected) {
    const load = loadAverage();
    const out = (await run(script, flags)).trimEnd();
    parts.push(out.startsWith('## ') ? out : `## ${script}\n\n\`\`\`text\n${out}\n\`\`\``);
    parts.push('', `_load average (1/5/15 min) when ${script} started: ${load}_`, '');
  }
  writeFileSync(path.join(__dirname, 'RESULTS.md'), `${parts.join('\n')}\n`);
  console.log(`\nwrote bench/RESULTS.md (commit ${commit})`);
}

main().catch((err) => { console.error(err); process.exit(1); });
