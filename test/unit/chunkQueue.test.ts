import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guidedCuts, jsonlByteRanges, lineAt, memorySource } from '../../server/src/engine';
import { ChunkQueue } from '../../server/src/host/chunkQueue';

/**
 * The chunks the threads of one analysis take in turn (host/chunkQueue.ts): each thread learns the
 * first line of a chunk it takes from the counts the others posted, or counts them itself.
 */

test('guided cuts: chunks a 2·threads-th of what is left, down to the least size, covering the file', () => {
  const cuts = guidedCuts(1000, 2, 40);
  assert.deepEqual(cuts, [250, 437, 577, 682, 761, 820, 865, 905, 945, 985]);
  const sizes = [...cuts, 1000].map((c, k) => c - (k ? cuts[k - 1] : 0));
  for (let k = 1; k < sizes.length - 1; k++) assert.ok(sizes[k] <= sizes[k - 1] && sizes[k] >= 40, `${sizes}`);
  assert.deepEqual(guidedCuts(100, 2, 200), [], 'a file under the least chunk is one chunk');
  assert.equal(guidedCuts(617e6, 2, 2 << 20).length < 24, true, 'a big file is a score of chunks or so, not thousands');
});

test('chunk queue: every chunk is taken once, and its first line is the file\'s, whichever thread counted the lines before it', () => {
  const text = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ text: `row ${i} ${'x'.repeat(i % 37)}`, label: 'a' }) + (i % 7 === 0 ? '\n\n' : '\n')).join('');
  const bytes = new TextEncoder().encode(text);
  const source = memorySource(bytes);
  const chunks = jsonlByteRanges(source, guidedCuts(bytes.length, 2, 500));
  assert.ok(chunks.length > 8);
  const a = ChunkQueue.create(chunks);
  const b = new ChunkQueue(chunks, a.shared);
  const first = new Map<number, number>();
  // Thread a began chunk 0 (taken for it at creation); b takes the next; they alternate.
  first.set(0, a.begin(source, 0));
  for (let turn = 0; ; turn++) {
    const q = turn % 2 ? a : b;
    const i = q.take();
    if (i < 0) break;
    first.set(i, q.begin(source, i));
  }
  assert.equal(first.size, chunks.length);
  for (const [i, line] of first) assert.equal(line, lineAt(bytes, chunks[i].start), `chunk ${i}`);
});

test('chunk queue: a count not posted in time is counted by the thread that needs it', () => {
  const text = Array.from({ length: 300 }, (_, i) => `{"text":"r${i}"}\n`).join('');
  const bytes = new TextEncoder().encode(text);
  const source = memorySource(bytes);
  const chunks = jsonlByteRanges(source, guidedCuts(bytes.length, 2, 200));
  const a = ChunkQueue.create(chunks);
  const b = new ChunkQueue(chunks, a.shared);
  // a takes chunk 1 but has not begun it (its count is not posted); b takes chunk 2 and must count chunk 1 itself.
  assert.equal(a.take(), 1);
  assert.equal(b.take(), 2);
  assert.equal(b.begin(source, 2), lineAt(bytes, chunks[2].start));
  assert.equal(a.begin(source, 1), lineAt(bytes, chunks[1].start));
});
