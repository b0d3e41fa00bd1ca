import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeDataset, analyzeJsonlShard, detectDatasetFormat, equalCuts, firstTokenSample, jsonlByteRanges, jsonlReader, lineAt, memorySource, mergeJsonlShards,
  mergeJsonlShardsThen, openReader, parseConfig, planJsonlShards,
} from '../../server/src/engine';
import { countNewlines } from '../../server/src/engine/read/source';
import { jsonl } from './helpers';

test('a sharded analysis gives exactly the single-pass result', () => {
  const rows: unknown[] = [];
  for (let i = 0; i < 300; i++) rows.push({ text: `review ${i % 60} of the film${' and so on'.repeat(i % 2)}`, label: ['pos', 'neg', 'Pos'][i % 7 === 0 ? 2 : i % 2] });
  rows.splice(50, 0, '{"text": broken', '[1]', { text: 'mail me at a@b.io please', label: 'pos' });
  const bytes = new TextEncoder().encode(jsonl(...rows).replace(/\n/g, (m, i) => (i % 9 === 0 ? '\n\n' : m)));
  const { config } = parseConfig({});
  const single = analyzeDataset('d.jsonl', bytes, config, { fixes: true });
  const detection = detectDatasetFormat(openReader('d.jsonl', bytes).rows(), config);
  for (const count of [2, 3, 7]) {
    const shards = planJsonlShards(bytes, count);
    assert.equal(shards.length, count);
    const results = shards.map((s) => analyzeJsonlShard(bytes, s, detection, config, { fixes: true }));
    const merged = mergeJsonlShards('d.jsonl', bytes, detection, config, { fixes: true }, results);
    assert.deepEqual(merged, single, `${count} shards`);
    // The first shard's columns made with room for the file: the merge appends the others to them.
    const roomy = shards.map((s, k) => analyzeJsonlShard(bytes, s, detection, config, { fixes: true }, true, k === 0));
    assert.deepEqual(mergeJsonlShards('d.jsonl', bytes, detection, config, { fixes: true }, roomy), single, `${count} shards, room for the file`);
  }
  assert.ok(single.summary['exact-duplicate'] > 0 && single.summary['invalid-json'] === 1 && single.summary['label-variant'] > 0);
});

test('shards start at line starts and cover the file', () => {
  const bytes = new TextEncoder().encode('a\nbb\nccc\ndddd\n');
  const shards = planJsonlShards(bytes, 3);
  assert.deepEqual(shards.map((s) => [s.start, s.end, s.firstLine]), [[0, 5, 1], [5, 9, 3], [9, 14, 4]]);
});

test('shards after the first may count no tokens: the first one holds the file\'s first texts, the sample', () => {
  const rows = Array.from({ length: 2000 }, (_, i) => ({ text: `row ${i} says ${'something rather long and wordy '.repeat(1 + (i % 5))}`, label: i % 3 ? 'a' : 'b' }));
  const bytes = new TextEncoder().encode(jsonl('not json', ...rows));
  const { config } = parseConfig({});
  const single = analyzeDataset('d.jsonl', bytes, config, {});
  const detection = detectDatasetFormat(openReader('d.jsonl', bytes).rows(), config);
  const results = planJsonlShards(bytes, 3).map((s, k) => analyzeJsonlShard(bytes, s, detection, config, {}, k === 0));
  assert.deepEqual(results.map((r) => r.tokens.bytes.length), [300, 0, 0]);
  assert.deepEqual(mergeJsonlShards('d.jsonl', bytes, detection, config, {}, results), single);
});

test('no shard need count tokens: the sample is taken apart (firstTokenSample) and given once the shards are merged', () => {
  const rows = Array.from({ length: 2000 }, (_, i) => ({ text: `row ${i} says ${'something rather long and wordy '.repeat(1 + (i % 5))}`, label: i % 3 ? 'a' : 'b' }));
  const bytes = new TextEncoder().encode(jsonl('not json', { text: '', label: 'a' }, ...rows));
  const { config } = parseConfig({});
  const single = analyzeDataset('d.jsonl', bytes, config, {});
  const detection = detectDatasetFormat(openReader('d.jsonl', bytes).rows(), config);
  const sample = firstTokenSample(memorySource(bytes), detection, config);
  assert.equal(sample.bytes.length, 300);
  // Seven shards: the first holds fewer than 300 texts, so the sample runs into the next ones.
  for (const count of [2, 7]) {
    const results = planJsonlShards(bytes, count).map((s) => analyzeJsonlShard(bytes, s, detection, config, {}, false));
    assert.ok(results.every((r) => r.tokens.bytes.length === 0));
    const finish = mergeJsonlShardsThen('d.jsonl', bytes, detection, config, {}, results);
    assert.deepEqual(finish(sample), single, `${count} shards`);
    assert.notDeepEqual(finish().stats, single.stats, 'without the sample the token statistics are only guessed');
  }
});

test('newlines are counted exactly at any alignment', () => {
  const text = 'a\n\nbcd\nefghij\n\n\nklmnopq\nr\n'.repeat(7) + 'tail';
  const bytes = new TextEncoder().encode(text);
  for (let start = 0; start < 9; start++) {
    for (let end = start; end <= bytes.length; end += 5) {
      assert.equal(countNewlines(bytes, start, end), text.slice(start, end).split('\n').length - 1, `${start}..${end}`);
      const shifted = new Uint8Array(bytes.length + 3);
      shifted.set(bytes, 3);
      assert.equal(countNewlines(shifted.subarray(3), start, end), text.slice(start, end).split('\n').length - 1);
    }
  }
});

test('shards read from a source in chunks (a file on disk) give the result of the bytes in memory', () => {
  // Over 1 MB, so chunks and the late-row window are crossed; one line is longer than a chunk.
  const rows: unknown[] = [];
  for (let i = 0; i < 9000; i++) {
    const k = i % 2500;
    rows.push({ text: `review number ${k} of the film, which was ${['fine', 'dull', 'great'][k % 3]}${' and long'.repeat(k % 40)}`, label: i % 7 ? 'pos' : 'neg' });
  }
  rows.splice(4000, 0, { text: `a very long review ${'word '.repeat(280_000)}`, label: 'pos' }, '{"text": broken');
  const bytes = new TextEncoder().encode(jsonl(...rows));
  assert.ok(bytes.length > 3 * 1024 * 1024);
  const { config } = parseConfig({});
  const single = analyzeDataset('d.jsonl', bytes, config, { fixes: true });
  const source = memorySource(bytes);
  const detection = detectDatasetFormat(jsonlReader(source).rows(), config);
  assert.deepEqual(detection, detectDatasetFormat(openReader('d.jsonl', bytes).rows(), config));
  const shards = planJsonlShards(source, 3);
  assert.deepEqual(shards, planJsonlShards(bytes, 3));
  const results = shards.map((s) => analyzeJsonlShard(source, s, detection, config, { fixes: true }));
  assert.deepEqual(mergeJsonlShards('d.jsonl', source, detection, config, { fixes: true }, results), single);
  assert.ok(single.summary['exact-duplicate'] > 1000 && single.summary['conflicting-labels'] > 100 && single.summary['invalid-json'] === 1 && single.summary['too-long'] === 1);
});

test('byte ranges cut at line starts without counting lines, the first of a given share; a thread finds its first line with lineAt', () => {
  const text = Array.from({ length: 400 }, (_, i) => JSON.stringify({ text: `row ${i} ${'x'.repeat(i % 17)}`, label: 'a' })).join('\n') + '\n';
  const bytes = new TextEncoder().encode(text);
  for (const input of [bytes, memorySource(bytes)]) {
    for (const [count, share] of [[2, 0.5], [2, 0.54], [3, 0.4], [5, 0.2]] as const) {
      const ranges = jsonlByteRanges(input, equalCuts(bytes.length, count, share));
      assert.equal(ranges.length, count);
      assert.equal(ranges[0].start, 0);
      assert.equal(ranges[ranges.length - 1].end, bytes.length);
      for (let k = 1; k < ranges.length; k++) {
        assert.equal(ranges[k].start, ranges[k - 1].end);
        assert.equal(bytes[ranges[k].start - 1], 10, 'each range starts a line');
      }
      assert.ok(Math.abs(ranges[0].end / bytes.length - share) < 0.02, `first share ${ranges[0].end / bytes.length} for ${share}`);
      // The same cuts and first lines as the shards counted one after another, for equal shares.
      if (share === 1 / count) assert.deepEqual(ranges.map((r) => ({ ...r, firstLine: lineAt(input, r.start) })), planJsonlShards(input, count));
    }
  }
  assert.equal(lineAt(bytes, 0), 1);
  assert.equal(lineAt(bytes, text.indexOf('\n') + 1), 2);
});
