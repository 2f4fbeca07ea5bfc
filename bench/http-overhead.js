// HTTP part of bench/collect-cycle: a node:http server in a child process (with or without our
// http producer), driven by a keep-alive load generator in this process.
'use strict';
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const CONCURRENCY = 32;

function serve(variant) {
  if (variant !== 'none') {
    const { MeterProvider, MetricReader } = require(require.resolve('@opentelemetry/sdk-metrics', { paths: [dist] }));
    class Reader extends MetricReader { async onForceFlush() {} async onShutdown() {} }
    const reader = new Reader();
    const provider = new MeterProvider({ readers: [reader] });
    const { createProducers } = require(path.join(dist, 'instrumentation/registry.js'));
    createProducers(['http'], { http: { bodySizes: variant === 'ours' } })[0].start(provider.getMeter('bench'));
    setInterval(() => void reader.collect(), 1000); // collections happen in real life too
  }
  const server = http.createServer((req, res) => { res.setHeader('content-length', 2); res.end('ok'); });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${server.address().port}\n`));
  // CPU is robust where throughput is not: on a shared machine other work steals wall time.
  process.on('message', () => { const c = process.cpuUsage(); process.send(c.user + c.system); });
}

function startServer(variant) {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [__filename, '--serve', variant], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    c.stdout.on('data', (d) => { const m = /PORT (\d+)/.exec(String(d)); if (m) resolve({ port: Number(m[1]), child: c }); });
  });
}

const serverCpuUs = (child) => new Promise((resolve) => { child.once('message', resolve); child.send('cpu'); });

async function load(port, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let done = 0;
  const end = Date.now() + ms;
  const one = () => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/items/1', agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
  });
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (Date.now() < end) { await one(); done++; } }));
  agent.destroy();
  return done / (ms / 1000);
}

/** Median req/s with no metrics, our producer (`ours`) and our producer without body sizes (`lean`), over `rounds` alternating rounds of `ms`. */
async function httpBench(ms, rounds) {
  const rates = { none: [], ours: [], lean: [] };
  const cpu = { none: [], ours: [], lean: [] };
  for (let i = 0; i < rounds; i++) {
    for (const variant of i % 2 ? ['lean', 'ours', 'none'] : ['none', 'ours', 'lean']) {
      const { port, child } = await startServer(variant);
      await load(port, 300); // warm-up
      const before = await serverCpuUs(child);
      const rate = await load(port, ms);
      rates[variant].push(rate);
      cpu[variant].push((await serverCpuUs(child) - before) / (rate * ms / 1000));
      child.kill();
    }
  }
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  return {
    none: median(rates.none), ours: median(rates.ours), lean: median(rates.lean),
    cpuNone: median(cpu.none), cpuOurs: median(cpu.ours), cpuLean: median(cpu.lean),
  };
}

if (process.argv[2] === '--serve') serve(process.argv[3]);
module.exports = { httpBench };
