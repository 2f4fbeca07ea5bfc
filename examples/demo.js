// The main demo: starts examples/http-service.js under the preload with the Prometheus and
// console exporters, and drives it with a built-in load generator.
//   npm run demo                      (runs until Ctrl-C; DEMO_DURATION_MS=30000 to stop by itself)
//   curl 127.0.0.1:9464/metrics       (numbers move between scrapes)
'use strict';
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const port = Number(process.env.DEMO_PORT ?? 8080);
const service = spawn(process.execPath, ['--require', 'otel-metrics-pipeline/register', path.join(__dirname, 'http-service.js')], {
  cwd: path.join(__dirname, '..'),
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    OTEL_SERVICE_NAME: 'demo-http-service',
    OTEL_METRICS_EXPORTER: 'prometheus,console',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_METRIC_EXPORT_INTERVAL: '5000',
    ...process.env,
    DEMO_PORT: String(port),
  },
});

const paths = ['/', '/', '/', '/slow', '/fail', '/missing', '/upstream'];
const load = setInterval(() => {
  const req = http.get({ host: '127.0.0.1', port, path: paths[Math.floor(Math.random() * paths.length)] }, (res) => res.resume());
  req.on('error', () => {}); // the service may still be starting
}, 50);

console.log('load generator: 20 requests/s; metrics at http://127.0.0.1:9464/metrics and on stdout every 5 s');
const stop = () => {
  clearInterval(load);
  service.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (process.env.DEMO_DURATION_MS) setTimeout(stop, Number(process.env.DEMO_DURATION_MS));
service.on('exit', (code) => process.exit(code ?? 0));
