import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeKey, escapeMeasurement, escapeStringValue } from '../../../exporters/influx/line-protocol-escape';

test('measurement: comma and space are escaped, = is not', () => {
  assert.equal(escapeMeasurement('http requests,total=x'), 'http\\ requests\\,total=x');
  assert.equal(escapeMeasurement('plain.name_1'), 'plain.name_1');
});

test('measurement starting with # (a comment in 1.x) gets a leading _', () => {
  assert.equal(escapeMeasurement('#requests'), '_#requests');
  assert.equal(escapeMeasurement('a#b'), 'a#b');
});

test('tag keys, tag values and field keys: comma, = and space are escaped', () => {
  assert.equal(escapeKey('a,b=c d'), 'a\\,b\\=c\\ d');
  assert.equal(escapeKey('ok-value.1'), 'ok-value.1');
});

test('a backslash that would escape the next separator, or ends the text, gets _ after it', () => {
  assert.equal(escapeKey('C:\\'), 'C:\\_');
  assert.equal(escapeKey('a\\,b'), 'a\\_\\,b');
  assert.equal(escapeKey('a\\=b'), 'a\\_\\=b');
  assert.equal(escapeKey('a\\ b'), 'a\\_\\ b');
  assert.equal(escapeKey('a\\b'), 'a\\b');
  assert.equal(escapeMeasurement('m\\'), 'm\\_');
  assert.equal(escapeMeasurement('m\\=x'), 'm\\=x');
});

test('newlines become (escaped) spaces', () => {
  assert.equal(escapeKey('two\nlines\r'), 'two\\ lines\\ ');
  assert.equal(escapeMeasurement('a\nb'), 'a\\ b');
});

test('string field values: double quote and backslash are escaped', () => {
  assert.equal(escapeStringValue('say "hi" \\o/'), 'say \\"hi\\" \\\\o/');
  assert.equal(escapeStringValue('plain, text = ok'), 'plain, text = ok');
});
