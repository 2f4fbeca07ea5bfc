// Custom collectors: expose values the app already holds, read only when Prometheus scrapes.
// Run:  OTEL_METRICS_EXPORTER=prometheus node --require otel-metrics-pipeline/register examples/prometheus-collectors.js
// then: curl -s localhost:9464/metrics | grep -E '^(job_queue|cache)'
'use strict';
const { registerCollector, gaugeFunc } = require('otel-metrics-pipeline/instrumentation');

// The app's own state; nothing on its hot path touches metrics.
const queue = [];
let processed = 0;
const cache = new Map();

// Describe/Collect, as prom-client's collect() or client_golang's Collector: one callback per
// collection reports every metric it described.
registerCollector({
  metrics: [
    { name: 'job_queue.length', unit: '{job}', description: 'Jobs waiting' },
    { name: 'job_queue.processed', kind: 'counter', unit: '{job}', description: 'Jobs done' },
    { name: 'job_queue.oldest.age', unit: 's', description: 'Age of the oldest waiting job' },
  ],
  collect(observe) {
    observe('job_queue.length', queue.length, { queue: 'default' });
    observe('job_queue.processed', processed, { queue: 'default' });
    observe('job_queue.oldest.age', queue.length ? (Date.now() - queue[0]) / 1000 : 0, { queue: 'default' });
  },
});

// GaugeFunc: one value from one function.
gaugeFunc('cache.entries', () => cache.size, { description: 'Entries in the lookup cache', unit: '{entry}' });

setInterval(() => {
  queue.push(Date.now());
  if (queue.length > 3) { queue.shift(); processed++; }
  cache.set(String(Math.random()), 1);
}, 500);
console.log('scrape http://localhost:9464/metrics (job_queue_length, job_queue_processed_total, job_queue_oldest_age_seconds, cache_entries)');
