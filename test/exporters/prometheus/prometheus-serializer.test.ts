import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { PrometheusSerializer } from '../../../exporters/prometheus/prometheus-serializer';
import { havePeer } from '../../helpers/peers';
import { collection, histogram, metric } from './sample-collection';

const golden = () => collection([
  { name: 'shop', version: '2.0.0', schemaUrl: 'https://opentelemetry.io/schemas/1.26.0', metrics: [
    metric('counter', 'http.server.requests', '{request}', [[{ 'http.request.method': 'GET', 'url.path': '/a"b\\c' }, 7], [{ 'http.request.method': 'POST', 'url.path': '/' }, 2]], 'Requests served'),
    metric('histogram', 'http.server.request.duration', 's', [[{ route: '/a', le: 'mine' }, histogram([0.1, 1], [1, 2, 0], 1.7)]], 'Request duration'),
    metric('updown', 'queue.length', '{item}', [[{}, -3]], 'Items waiting\nin line'),
    metric('gauge', 'cpu.utilization', '1', [[{ 'a.b': 'x', a_b: 'y' }, 0.5]], 'CPU share'),
  ] },
  { name: 'cache', metrics: [metric('counter', 'http.server.requests', '{request}', [[{}, 1]], 'Requests served')] },
]);

const TEXT = `# HELP target_info Target metadata
# TYPE target_info gauge
target_info{service_name="golden"} 1
# HELP http_server_requests_total Requests served
# TYPE http_server_requests_total counter
http_server_requests_total{http_request_method="GET",url_path="/a\\"b\\\\c",otel_scope_name="shop",otel_scope_version="2.0.0",otel_scope_schema_url="https://opentelemetry.io/schemas/1.26.0"} 7
http_server_requests_total{http_request_method="POST",url_path="/",otel_scope_name="shop",otel_scope_version="2.0.0",otel_scope_schema_url="https://opentelemetry.io/schemas/1.26.0"} 2
http_server_requests_total{otel_scope_name="cache"} 1
# HELP http_server_request_duration_seconds Request duration
# TYPE http_server_request_duration_seconds histogram
http_server_request_duration_seconds_bucket{route="/a",otel_scope_name="shop",otel_scope_version="2.0.0",otel_scope_schema_url="https://opentelemetry.io/schemas/1.26.0",le="0.1"} 1
http_server_request_duration_seconds_bucket{route="/a",otel_scope_name="shop",otel_scope_version="2.0.0",otel_scope_schema_url="https://opentelemetry.io/schemas/1.26.0",le="1"} 3
http_server_request_duration_seconds_bucket{route="/a",otel_scope_name="shop",otel_scope_version="2.0.0",otel_scope_schema_url="https://opentelemetry.io/schemas/1.26.0",le="+Inf"} 3
http_server_request_duration_seconds_count{route="/a",otel_scope_name="shop",otel_scope_version="2.0.0",otel_scope_schema_url="https://opentelemetry.io/schemas/1.26.0"} 3
http_server_request_duration_seconds_sum{route="/a",otel_scope_name="shop",otel_scope_version="2.0.0",otel_scope_schema_url="https://opentelemetry.io/schemas/1.26.0"} 1.7
# HELP queue_length Items waiting\\nin line
# TYPE queue_length gauge
queue_length{otel_scope_name="shop",otel_scope_version="2.0.0",otel_scope_schema_url="https://opentelemetry.io/schemas/1.26.0"} -3
# HELP cpu_utilization_ratio CPU share
# TYPE cpu_utilization_ratio gauge
cpu_utilization_ratio{a_b="x;y",otel_scope_name="shop",otel_scope_version="2.0.0",otel_scope_schema_url="https://opentelemetry.io/schemas/1.26.0"} 0.5
`;

describe('PrometheusSerializer', () => {
  it('writes text 0.0.4 by the spec rules (golden)', () => {
    assert.equal(new PrometheusSerializer().serializeToString(golden(), 'text'), TEXT);
  });

  it('writes OpenMetrics 1.0 with TYPE/UNIT/HELP, _created and # EOF (golden)', () => {
    const om = new PrometheusSerializer({ withoutScopeInfo: true }).serializeToString(golden(), 'openmetrics');
    assert.equal(om, `# TYPE target info
# HELP target Target metadata
target_info{service_name="golden"} 1
# TYPE http_server_requests counter
# HELP http_server_requests Requests served
http_server_requests_total{http_request_method="GET",url_path="/a\\"b\\\\c"} 7
http_server_requests_created{http_request_method="GET",url_path="/a\\"b\\\\c"} 1700000000.5
http_server_requests_total{http_request_method="POST",url_path="/"} 2
http_server_requests_created{http_request_method="POST",url_path="/"} 1700000000.5
http_server_requests_total 1
http_server_requests_created 1700000000.5
# TYPE http_server_request_duration_seconds histogram
# UNIT http_server_request_duration_seconds seconds
# HELP http_server_request_duration_seconds Request duration
http_server_request_duration_seconds_bucket{route="/a",le="0.1"} 1
http_server_request_duration_seconds_bucket{route="/a",le="1"} 3
http_server_request_duration_seconds_bucket{route="/a",le="+Inf"} 3
http_server_request_duration_seconds_count{route="/a"} 3
http_server_request_duration_seconds_sum{route="/a"} 1.7
http_server_request_duration_seconds_created{route="/a"} 1700000000.5
# TYPE queue_length gauge
# HELP queue_length Items waiting\\nin line
queue_length -3
# TYPE cpu_utilization_ratio gauge
# UNIT cpu_utilization_ratio ratio
# HELP cpu_utilization_ratio CPU share
cpu_utilization_ratio{a_b="x;y"} 0.5
# EOF
`);
  });

  it('passes promtool check metrics (text 0.0.4), names with units, {…} units and scope labels included', (t) => {
    if (!havePeer(t, 'promtool')) return;
    const out = execFileSync('promtool', ['check', 'metrics'], { input: TEXT, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    assert.equal(out, '');
  });

  it('promtool rejects what it should: a broken exposition fails (the check is real)', (t) => {
    if (!havePeer(t, 'promtool')) return;
    const r = spawnSync('promtool', ['check', 'metrics'], { input: 'foo{a="b} 1\n', encoding: 'utf8' });
    assert.notEqual(r.status, 0);
  });

  it('drops the whole family when types conflict, one line per dropped metric per process', () => {
    const lines: string[] = [];
    const s = new PrometheusSerializer({ warn: (l) => lines.push(l), withoutTargetInfo: true, withoutScopeInfo: true });
    const rm = collection([{ name: 'a', metrics: [
      metric('counter', 'jobs', '', [[{}, 1]]),
      metric('gauge', 'jobs_total', '', [[{}, 2]]),
      metric('gauge', 'ok', '', [[{}, 3]]),
      metric('gauge', 'mixed', '', [[{}, 4]]),
      metric('histogram', 'mixed', '', [[{}, histogram([1], [1, 0], 1)]]),
    ] }]);
    const text = s.serializeToString(rm);
    assert.equal(text, '# HELP ok ok\n# TYPE ok gauge\nok 3\n');
    // One line for each dropped metric: jobs_total, jobs (its family lost) and mixed.
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines.join('\n'), /dropping metric "jobs_total": its Prometheus name jobs_total clashes with the metric jobs/);
    assert.match(lines.join('\n'), /dropping metric "mixed": metrics of different types meet at the Prometheus name mixed \(gauge vs histogram\)/);
    s.serializeToString(rm);
    assert.equal(lines.length, 3);
  });

  it('a user metric named target_info is dropped, the exporter keeps its own', () => {
    const lines: string[] = [];
    const rm = collection([{ name: 'a', metrics: [metric('gauge', 'target_info', '', [[{}, 2]])] }]);
    const text = new PrometheusSerializer({ warn: (l) => lines.push(l) }).serializeToString(rm);
    assert.equal(text.match(/^target_info/gm)?.length, 1);
    assert.equal(lines.length, 1);
  });

  it('non-monotonic sums become gauges; delta sums are dropped with a line', () => {
    const lines: string[] = [];
    const delta = { ...metric('counter', 'd', '', [[{}, 1]]), aggregationTemporality: 0 } as ReturnType<typeof metric>;
    const rm = collection([{ name: 'a', metrics: [metric('updown', 'inflight', '', [[{}, 2]]), delta] }]);
    const text = new PrometheusSerializer({ warn: (l) => lines.push(l), withoutTargetInfo: true }).serializeToString(rm);
    assert.match(text, /^# TYPE inflight gauge$/m);
    assert.doesNotMatch(text, /^d/m);
    assert.match(lines[0]!, /delta sums/);
  });

  it('turns exponential histograms into classic buckets at base^(index+1)', () => {
    const value = { count: 6, sum: 20, scale: 1, zeroCount: 1, min: 0, max: 4, positive: { offset: 2, bucketCounts: [2, 3] }, negative: { offset: 0, bucketCounts: [] } };
    const rm = collection([{ name: 'a', metrics: [metric('exponential', 'lat', 's', [[{}, value]])] }]);
    const text = new PrometheusSerializer({ withoutTargetInfo: true, withoutScopeInfo: true }).serializeToString(rm);
    assert.equal(text, `# HELP lat_seconds lat
# TYPE lat_seconds histogram
lat_seconds_bucket{le="0"} 1
lat_seconds_bucket{le="2.8284271247461903"} 3
lat_seconds_bucket{le="4"} 6
lat_seconds_bucket{le="+Inf"} 6
lat_seconds_count 6
lat_seconds_sum 20
`);
  });

  it('quotes UTF-8 names for scrapers that allow them (NoUTF8EscapingWithSuffixes)', () => {
    const rm = collection([{ name: 'a', metrics: [metric('counter', 'http.requests', '', [[{ 'http.method': 'GET' }, 1]])] }]);
    const s = new PrometheusSerializer({ translationStrategy: 'NoUTF8EscapingWithSuffixes', withoutTargetInfo: true, withoutScopeInfo: true });
    assert.equal(s.serializeToString(rm, 'text', true), '# HELP "http.requests_total" http.requests\n# TYPE "http.requests_total" counter\n{"http.requests_total","http.method"="GET"} 1\n');
    assert.equal(s.serializeToString(rm, 'text', false), '# HELP http_requests_total http.requests\n# TYPE http_requests_total counter\nhttp_requests_total{http_method="GET"} 1\n');
  });

  it('streams 100k series in pieces of about 64 KiB, never one giant string', () => {
    const points: Array<[Record<string, unknown>, unknown]> = Array.from({ length: 100_000 }, (_, i) => [{ id: String(i), kind: 'x' }, i]);
    const rm = collection([{ name: 'a', metrics: [metric('counter', 'big', '', points)] }]);
    let pieces = 0;
    let largest = 0;
    let lines = 0;
    for (const piece of new PrometheusSerializer().serialize(rm)) {
      pieces++;
      largest = Math.max(largest, piece.length);
      lines += piece.split('\n').length - 1;
    }
    assert.ok(pieces > 50, `${pieces} pieces`);
    assert.ok(largest < 70_000, `largest piece ${largest}`);
    assert.equal(lines, 100_000 + 5);
  });
});
