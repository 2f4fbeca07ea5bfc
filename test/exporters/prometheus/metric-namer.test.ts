import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricNamer, type FamilyKind } from '../../../exporters/prometheus/metric-namer';
import { LabelNamer } from '../../../exporters/prometheus/label-namer';

const underscore = new MetricNamer('UnderscoreEscapingWithSuffixes');
const text = (name: string, unit: string, kind: FamilyKind, namer = underscore, utf8 = false) => {
  const n = namer.name(name, unit, kind, utf8);
  return n && (kind === 'counter' && n.total ? `${n.base}_total` : n.base) + (n.unit ? ` [${n.unit}]` : '');
};

describe('metric names (UnderscoreEscapingWithSuffixes)', () => {
  const cases: Array<[string, string, FamilyKind, string | null]> = [
    ['http.server.request.duration', 's', 'histogram', 'http_server_request_duration_seconds [seconds]'],
    ['http.server.active_requests', '{request}', 'gauge', 'http_server_active_requests'],
    ['app.requests', '{request}', 'counter', 'app_requests_total'],
    ['process.memory.usage', 'By', 'gauge', 'process_memory_usage_bytes [bytes]'],
    ['car.speed', 'm/s', 'gauge', 'car_speed_meters_per_second [meters_per_second]'],
    ['network.io', 'By/s', 'counter', 'network_io_bytes_per_second_total [bytes_per_second]'],
    ['cpu.utilization', '1', 'gauge', 'cpu_utilization_ratio [ratio]'],
    ['jobs.done', '1', 'counter', 'jobs_done_total'],
    ['rate', '1/s', 'gauge', 'rate_per_second [per_second]'],
    ['duration_seconds', 's', 'histogram', 'duration_seconds [seconds]'],
    ['seconds.elapsed', 's', 'gauge', 'seconds_elapsed'],
    ['requests_total', 's', 'counter', 'requests_seconds_total [seconds]'],
    ['foo..bar--baz', '', 'gauge', 'foo_bar_baz'],
    ['2xx.count', '', 'counter', '_2xx_count_total'],
    ['temp', 'Cel', 'gauge', 'temp_celsius [celsius]'],
    ['odd', 'foo bar', 'gauge', 'odd_foo_bar [foo_bar]'],
    ['...', '', 'gauge', null],
    // `_count` is reserved for histograms and summaries: a counted thing's gauge takes its plural.
    ['process.thread.count', '{thread}', 'gauge', 'process_threads'],
    ['process.unix.file_descriptor.count', '{file_descriptor}', 'gauge', 'process_unix_file_descriptors'],
    ['system.cpu.logical.count', '{cpu}', 'gauge', 'system_cpu_logical_cpus'],
    ['system.process.count', '{process}', 'gauge', 'system_processes'],
    ['queue.entry.count', '', 'gauge', 'queue_entries'],
    ['count', '', 'gauge', 'count'],
    ['items.count', 'By', 'gauge', 'items_count_bytes [bytes]'],
    ['system.network.packet.count', '{packet}', 'counter', 'system_network_packet_count_total'],
  ];
  for (const [name, unit, kind, expected] of cases) {
    it(`${name} (${unit || 'no unit'}, ${kind}) -> ${expected}`, () => assert.equal(text(name, unit, kind), expected));
  }
});

describe('the other translation strategies', () => {
  it('UnderscoreEscapingWithoutSuffixes escapes but adds no unit or _total', () => {
    const namer = new MetricNamer('UnderscoreEscapingWithoutSuffixes');
    assert.equal(text('http.server.duration', 's', 'histogram', namer), 'http_server_duration');
    assert.deepEqual(namer.name('app.requests', '', 'counter', false), { base: 'app_requests', unit: '', total: false });
    assert.deepEqual(namer.name('app.requests_total', '', 'counter', false), { base: 'app_requests', unit: '', total: true });
  });
  it('NoUTF8EscapingWithSuffixes keeps UTF-8 for scrapers that accept it, escapes for the rest', () => {
    const namer = new MetricNamer('NoUTF8EscapingWithSuffixes');
    assert.equal(text('http.server.duration', 's', 'histogram', namer, true), 'http.server.duration_seconds [seconds]');
    assert.equal(text('app.requests', '', 'counter', namer, true), 'app.requests_total');
    assert.equal(text('http.server.duration', 's', 'histogram', namer, false), 'http_server_duration_seconds [seconds]');
  });
  it('NoTranslation keeps the name as it is', () => {
    const namer = new MetricNamer('NoTranslation');
    assert.equal(text('http.server.duration', 's', 'histogram', namer, true), 'http.server.duration');
    assert.equal(text('http.server.duration', 's', 'histogram', namer, false), 'http_server_duration');
  });
});

describe('label names', () => {
  it('replaces invalid characters, collapses runs, prefixes a digit and drops nothing-left keys', () => {
    const n = new LabelNamer(false);
    assert.equal(n.name('http.request.method'), 'http_request_method');
    assert.equal(n.name('a..b__c'), 'a_b_c');
    assert.equal(n.name('0day'), 'key_0day');
    assert.equal(n.name('..'), null);
  });
  it('quotes non-legacy keys for UTF-8 scrapers', () => {
    const n = new LabelNamer(true);
    assert.equal(n.name('plain_key'), 'plain_key');
    assert.equal(n.name('http.method'), '"http.method"');
  });
});
