// A small HTTP service that knows nothing about exporters: it uses @opentelemetry/api, and
// setHttpRoute so that the preload's http.server.* metrics carry the route template.
// Start it under the preload:  node --require otel-metrics-pipeline/register examples/http-service.js
'use strict';
const http = require('node:http');
const { metrics } = require('@opentelemetry/api');
const { setHttpRoute } = require('otel-metrics-pipeline/instrumentation');

const meter = metrics.getMeter('demo-http-service', '1.0.0');
const requests = meter.createCounter('demo.http.requests', { description: 'Requests served', unit: '{request}' });
const duration = meter.createHistogram('demo.http.request.duration', {
  description: 'Time to serve a request',
  unit: 's',
  advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5] },
});
const inflight = meter.createUpDownCounter('demo.http.inflight', { description: 'Requests in progress', unit: '{request}' });
meter
  .createObservableGauge('demo.process.heap_used', { description: 'V8 heap in use', unit: 'By' })
  .addCallback((result) => result.observe(process.memoryUsage().heapUsed));

const routes = {
  '/': () => 'hello\n',
  '/slow': () => new Promise((resolve) => setTimeout(() => resolve('slow\n'), 20 + Math.random() * 80)),
  '/fail': () => { throw new Error('boom'); },
  // Calls a downstream (this same service, to stay self-contained): http.client.* metrics.
  '/upstream': () => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()),
};

const server = http.createServer(async (req, res) => {
  const started = process.hrtime.bigint();
  const route = routes[req.url] ? req.url : 'unknown';
  setHttpRoute(req, route);
  inflight.add(1);
  let status = 200;
  try {
    const body = routes[req.url] ? await routes[req.url]() : ((status = 404), 'not found\n');
    res.writeHead(status).end(body);
  } catch {
    status = 500;
    res.writeHead(status).end('error\n');
  } finally {
    inflight.add(-1);
    const attrs = { 'http.route': route, 'http.response.status_code': status };
    requests.add(1, attrs);
    duration.record(Number(process.hrtime.bigint() - started) / 1e9, attrs);
  }
});

const port = Number(process.env.DEMO_PORT ?? 8080);
server.listen(port, '127.0.0.1', () => console.log(`demo service on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close());
process.on('SIGINT', () => server.close());
