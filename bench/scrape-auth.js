// bench/scrape-auth: what basic auth adds to a good scrape once the header is verified (cached),
// against the same scrape with no auth, in the same run; plus the app's own request latency
// while 200 wrong-password scrapes arrive 16 at a time (bcrypt cost 10, checked in a worker),
// against the same app with no flood.
// Run: npm run build && node bench/scrape-auth.js   (BENCH_ROUNDS for the sample, default 2000)
'use strict';
const http = require('node:http');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const { MeterProvider } = require(require.resolve('@opentelemetry/sdk-metrics', { paths: [dist] }));
const { PrometheusPullReader } = require(path.join(dist, 'exporters/prometheus/prometheus-pull-reader.js'));
const bcrypt = require(require.resolve('bcryptjs', { paths: [dist] }));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);

function get(port, headers, agent) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    http.get({ host: '127.0.0.1', port, path: '/metrics', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t) / 1e6 }));
    }).on('error', reject);
  });
}
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

async function reader(options) {
  const r = new PrometheusPullReader({ host: '127.0.0.1', port: 0, compression: 'none', ...options });
  const provider = new MeterProvider({ readers: [r] });
  const c = provider.getMeter('bench').createCounter('bench.requests');
  for (let i = 0; i < 100; i++) c.add(1, { route: `/r/${i}` });
  await r.startServer();
  return { port: Number(new URL(r.url).port), close: () => provider.shutdown() };
}

(async () => {
  const hash = bcrypt.hashSync('right', 10);
  const open = await reader({});
  const authed = await reader({ basicAuthUsers: { prom: hash } });
  const good = { authorization: `Basic ${Buffer.from('prom:right').toString('base64')}` };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  if ((await get(authed.port, good, agent)).status !== 200) throw new Error('auth setup');
  // Interleaved, so machine noise hits both alike.
  const a = [];
  const b = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push((await get(open.port, {}, agent)).ms);
    b.push((await get(authed.port, good, agent)).ms);
  }
  const [ma, mb] = [quantile(a, 0.5), quantile(b, 0.5)];
  console.log(`good scrape, 100 series, keep-alive, median of ${ROUNDS}: no auth ${ma.toFixed(3)} ms, basic auth (cached bcrypt) ${mb.toFixed(3)} ms, +${(mb - ma).toFixed(3)} ms (ratio ${(mb / ma).toFixed(2)})`);

  // The app's own latency: a plain server in this process, next to the flooded reader.
  const own = http.createServer((_q, s) => s.end('pong'));
  await new Promise((r) => own.listen(0, '127.0.0.1', r));
  const ownPort = own.address().port;
  const ping = (ag) => new Promise((resolve) => {
    const t = process.hrtime.bigint();
    http.get({ host: '127.0.0.1', port: ownPort, path: '/', agent: ag }, (res) => { res.resume(); res.on('end', () => resolve(Number(process.hrtime.bigint() - t) / 1e6)); });
  });
  const pingAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  async function pings(whileRunning) {
    const ms = [];
    let running = true;
    const loop = (async () => { while (running) { ms.push(await ping(pingAgent)); await new Promise((r) => setTimeout(r, 5)); } })();
    await whileRunning();
    running = false;
    await loop;
    return ms;
  }
  const quiet = await pings(() => new Promise((r) => setTimeout(r, 1500)));
  const floodRun = async (inProcess) => {
    const statuses = [];
    const ms = await pings(async () => {
      if (!inProcess) {
        // The attacker in its own process, as a real one is: only the app's side is on this loop.
        const { execFile } = require('node:child_process');
        const out = await new Promise((resolve, reject) => execFile(process.execPath, [path.join(dist, 'test/fixtures/scrape-flood.js')], { env: { ...process.env, FLOOD_PORT: String(authed.port), FLOOD_COUNT: '200', FLOOD_CONCURRENCY: '16' } }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
        statuses.push(...JSON.parse(out));
        return;
      }
      const floodAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      let sent = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (sent < 200) {
          const n = sent++;
          statuses.push((await get(authed.port, { authorization: `Basic ${Buffer.from(`prom:guess-${n}`).toString('base64')}` }, floodAgent)).status);
        }
      }));
      floodAgent.destroy();
    });
    const count = (s) => statuses.filter((x) => x === s).length;
    return `${quantile(ms, 0.5).toFixed(2)}/${quantile(ms, 0.99).toFixed(2)} ms (${ms.length} requests; ${count(401)}x401, ${count(429)}x429)`;
  };
  const separate = await floodRun(false);
  const same = await floodRun(true);
  console.log(`app request p50/p99: no flood ${quantile(quiet, 0.5).toFixed(2)}/${quantile(quiet, 0.99).toFixed(2)} ms (${quiet.length}); during 200 wrong-password scrapes at 16 concurrent from another process ${separate}; from this process ${same}`);
  agent.destroy();
  pingAgent.destroy();
  own.close();
  await open.close();
  await authed.close();
})();
