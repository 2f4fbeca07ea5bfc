import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { havePeer } from './helpers/peers';
import { ROOT } from './helpers/spawn-app';

// docker compose cannot run here; these check what can be checked with the real tools.
describe('docker-compose.yml', () => {
  const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');

  it('the Prometheus config passes promtool check config', (t) => {
    if (!havePeer(t, 'promtool')) return;
    const out = execFileSync('promtool', ['check', 'config', join(ROOT, 'compose/prometheus.yml')], { encoding: 'utf8' });
    assert.match(out, /SUCCESS/);
  });

  it('every mounted config exists in the repo', () => {
    const mounts = [...compose.matchAll(/- \.\/(compose\/[^:]+):/g)].map((m) => m[1]!);
    assert.ok(mounts.length >= 3);
    for (const path of mounts) assert.ok(existsSync(join(ROOT, path)), path);
  });

  it('runs a Collector with OTLP gRPC and HTTP receivers, Prometheus, InfluxDB and Grafana', () => {
    for (const service of ['otel-collector', 'prometheus', 'influxdb', 'grafana']) assert.match(compose, new RegExp(`^  ${service}:$`, 'm'));
    assert.match(compose, /opentelemetry-collector-contrib/);
    const collector = readFileSync(join(ROOT, 'compose/otel-collector.yaml'), 'utf8');
    assert.match(collector, /grpc:\n\s+endpoint: 0\.0\.0\.0:4317/);
    assert.match(collector, /http:\n\s+endpoint: 0\.0\.0\.0:4318/);
    // The pipeline names only components defined above it.
    const used = /exporters: \[([^\]]+)\]/.exec(collector)![1]!.split(',').map((s) => s.trim());
    for (const name of used) assert.match(collector, new RegExp(`^  ${name}:`, 'm'));
    const scrape = readFileSync(join(ROOT, 'compose/prometheus.yml'), 'utf8');
    assert.match(scrape, /otel-collector:8889/);
  });
});
