import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  augmentDataset, containerPieces, containerTextPieces, datasetSource, openReader, planAugmentation, planSplit, readRowTexts, renderAugmented,
  renderAugmentedPieces, renderSplitBytes, renderSplitPieces, rowLookup, type ByteSource, type SynonymProvider,
} from '../../server/src/engine';
import { containerText } from '../../server/src/engine/read/datasetSource';
import { sha256 } from '../../server/src/host/datasetFile';
import { writeStreamedFilesAtomic } from '../../server/src/host/writeAtomic';
import { fileSource } from '../../server/src/host/fileSource';

/**
 * Split and augment with memory bounded by design (issue 16): JSON Lines files read in pieces through
 * a source, outputs written piece by piece, augmentations made one source row at a time; files too
 * big to read whole refused in a sentence.
 */

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');
const enc = (s: string) => new TextEncoder().encode(s);
/** The pieces' bytes, each copied as it comes: a piece is valid only until the next is asked for. */
const concat = (pieces: Iterable<Uint8Array>) => Buffer.concat(Array.from(pieces, (p) => Buffer.from(p)));

/** A fresh folder, removed when the test ends. */
function folder(t: { after: (fn: () => void) => void }, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function tuneset(cwd: string, ...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Bytes handed over a few at a time: every read of the engine's comes back short, as a slow pipe or disk may. */
function trickle(bytes: Uint8Array, most = 7): ByteSource & { reads: number } {
  const source = {
    size: bytes.length,
    reads: 0,
    read(into: Uint8Array, position: number) {
      source.reads++;
      const piece = bytes.subarray(position, position + Math.min(most, into.length));
      into.set(piece);
      return piece.length;
    },
  };
  return source;
}

/**
 * A JSONL file of a few megabytes (more than the 1 MB chunks and windows): CRLF line breaks, blank
 * lines, a broken row, a Latin-1 line, and one row longer than a chunk.
 */
function bigJsonl(): Uint8Array {
  const labels = ['pos', 'neg', 'neu'];
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 24_000; i++) {
    if (i === 500) parts.push(enc('{"text": "cut off\r\n'));
    if (i === 900) parts.push(enc('\r\n'));
    if (i === 1300) parts.push(Uint8Array.from([...enc('{"text": "caf'), 0xe9, ...enc(' au lait", "label": "pos"}\r\n')]));
    if (i === 7000) parts.push(enc(JSON.stringify({ text: 'long '.repeat(300_000), label: 'neg' }) + '\r\n'));
    parts.push(enc(JSON.stringify({ text: `Row ${i} says something about unit ${i % 97} and its ${i % 13} parts.`, label: labels[i % 3] }) + '\r\n'));
  }
  return Buffer.concat(parts);
}

test('a split read in pieces (a few bytes a read) writes exactly the files a split from memory writes', () => {
  const bytes = bigJsonl();
  const fromMemory = (() => {
    const reader = openReader('d.jsonl', bytes);
    const plan = planSplit(reader.rows(), { stratify: true, seed: 7 });
    return renderSplitBytes(plan, datasetSource('d.jsonl', reader, bytes, { sha256: sha256(bytes), toolVersion: '1' }));
  })();
  const source = trickle(bytes);
  const reader = openReader('d.jsonl', source);
  const plan = planSplit(reader.rows(), { stratify: true, seed: 7 });
  const pieces = renderSplitPieces(plan, datasetSource('d.jsonl', reader, source, { sha256: sha256(source), toolVersion: '1' }));
  assert.deepEqual(pieces.map((f) => f.name), fromMemory.map((f) => f.name));
  pieces.forEach((f, k) => assert.ok(concat(f.pieces).equals(Buffer.from(fromMemory[k].bytes)), f.name));
  assert.ok(source.reads > bytes.length / 7, 'every byte came through the trickle');
  assert.match(new TextDecoder().decode(fromMemory[3].bytes), /"sha256": "[0-9a-f]{64}"/);
});

test('split pieces: rows longer than a piece, and pieces of a few bytes, give the same bytes', () => {
  const bytes = enc(['{"text":"a"}', '{"text":"' + 'b'.repeat(40) + '"}', '', '{"text":"c"}', '{"text":"d"}'].join('\n') + '\n');
  const reader = openReader('d.jsonl', bytes);
  for (const _ of reader.rows());
  const source = datasetSource('d.jsonl', reader, bytes);
  for (const indexes of [[0, 1, 2, 3], [1], [], [3, 0]]) {
    const whole = concat(containerPieces(source, indexes, 1 << 20));
    for (const size of [1, 5, 13, 64]) assert.ok(concat(containerPieces(source, indexes, size)).equals(whole), `${indexes} in pieces of ${size}`);
  }
});

test('split pieces: runs of neighbouring rows are copied as one, and give the bytes of the rows copied one by one, whatever the line breaks between them', () => {
  // CRLF and LF breaks mixed, blank lines, a last row without a break, rows longer than a small piece.
  const parts = ['{"text":"a"}', '\r\n', '{"text":"b"}', '\n', '{"text":"c"}', '\r\n', '\r\n', '{"text":"' + 'd'.repeat(30) + '"}', '\r\n', '{"text":"e"}', '\r\n', '{"text":"f"}', '\n', '\n', '{"text":"g"}', '\r\n', '{"text":"h"}'];
  for (const text of [parts.join(''), parts.join('').replace(/\r\n/g, '\n'), parts.join('').replace(/\r?\n/g, '\r\n')]) {
    const bytes = enc(text);
    for (const input of [bytes, trickle(bytes)]) {
      const reader = openReader('d.jsonl', input);
      for (const _ of reader.rows());
      const source = datasetSource('d.jsonl', reader, input);
      assert.ok(source.runBytes, 'a JSONL source copies runs');
      const rowByRow = { ...source, runBytes: undefined };
      const rows = [...Array(8).keys()];
      for (const indexes of [rows, rows.slice(1), [0, 1, 2], [3, 4, 5, 6, 7], [2, 3, 4], [5, 6], [7, 0, 1], [1, 3, 4, 5, 7], []]) {
        const one = concat(containerPieces(rowByRow, indexes, 1 << 20));
        for (const size of [1 << 20, 64, 20, 7]) assert.ok(concat(containerPieces(source, indexes, size)).equals(one), `${JSON.stringify(text)}: rows ${indexes} in pieces of ${size}`);
      }
    }
  }
});

test('text pieces are containerText exactly: CSV (header, CRLF, no header), JSON arrays (indented, one line, empty), JSONL', () => {
  const cases: [string, string, object?][] = [
    ['d.csv', 'text,label\r\n"one, quoted\nline",a\r\ntwo,b\r\n'],
    ['d.csv', '"x\ny",a\nz,b\n', { hasHeader: false }],
    ['d.tsv', 'text\tlabel\nuno\ta\n'],
    ['d.json', '[\n  {"text": "a"},\n  {"text": "b"}\n]\n'],
    ['d.json', '[{"text": "a"}, {"text": "b"}]'],
    ['d.jsonl', '{"text":"a"}\r\n{"text":"b"}\r\n'],
  ];
  // Megabytes of rows, multi-byte text, and a row longer than a piece.
  const many = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ text: `Zeile ${i}: Größe ${'é'.repeat(i % 50)} — 日本語 ${i}` }));
  many.splice(9_000, 0, JSON.stringify({ text: 'ü'.repeat(500_000) }));
  cases.push(['big.jsonl', many.join('\n') + '\n']);
  for (const [name, content, csv] of cases) {
    const bytes = enc(content);
    const reader = openReader(name, bytes, undefined, csv);
    const texts = [...reader.rows()].map((r) => r.text);
    const source = datasetSource(name, reader, bytes);
    for (const rows of [texts, [], texts.slice(1)]) {
      assert.equal(new TextDecoder().decode(concat(containerTextPieces(source, rows))), containerText(source, rows), `${name} with ${rows.length} rows`);
    }
  }
});

const TABLE: Record<string, string[]> = { says: ['tells', 'states'], unit: ['device', 'item'], parts: ['pieces', 'components'], something: ['a thing'] };
const synonyms: SynonymProvider = (w) => TABLE[w] ?? [];

test('an augmentation made one source row at a time (rows read again from a source) writes what augmentDataset writes', () => {
  // Short rows run out of variants, so balancing has a shortfall for the other rows to make up in turns.
  const rows = [
    ...Array.from({ length: 40 }, (_, i) => ({ text: `Row ${i} says something about unit ${i % 7} and its parts.`, label: 'big' })),
    { text: 'ok', label: 'small' }, { text: 'fine then', label: 'small' }, { text: 'Row 3 says something about unit 3 and its many parts.', label: 'small' },
  ];
  const bytes = enc(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  for (const options of [{ n: 2 }, { balance: { method: 'augment' as const } }, { balance: { method: 'augment' as const, target: 90 } }, { balance: { method: 'downsample' as const } }]) {
    const memoryReader = openReader('d.jsonl', bytes);
    const all = [...memoryReader.rows()];
    const whole = augmentDataset(all, { ...options, synonyms, seed: 3 });
    const expected = renderAugmented(whole, datasetSource('d.jsonl', memoryReader, bytes)).text;

    const source = trickle(bytes, 5);
    const reader = openReader('d.jsonl', source);
    const augmentation = planAugmentation(reader.rows(), { ...options, synonyms, seed: 3 });
    const file = renderAugmentedPieces(augmentation, augmentation.newRows((i) => reader.row(i)!), datasetSource('d.jsonl', reader, source));
    assert.equal(new TextDecoder().decode(concat(file.pieces)), expected, JSON.stringify(options));
    const summary = augmentation.summary();
    assert.deepEqual([summary.labels, summary.warnings, summary.unchanged, summary.made], [whole.labels, whole.warnings, whole.unchanged, whole.rows.length]);
  }
  // The short rows fell short of their planned variants, and the long one made up for them in turns.
  const balanced = augmentDataset([...openReader('d.jsonl', bytes).rows()], { balance: { method: 'augment', target: 90 }, synonyms, seed: 3 });
  assert.match(balanced.warnings[0], /gave fewer different variants than asked/);
  assert.equal(balanced.labels.after.small, 90);
});

test('rows read again from a source (report texts, cross-file leak lookups) are the rows read from memory', () => {
  const bytes = bigJsonl();
  const detection = { format: 'classification' as const, fields: { text: 'text', label: 'label' } };
  const fromSource = [...readRowTexts('d.jsonl', trickle(bytes, 4096), detection)];
  assert.deepEqual(fromSource, [...readRowTexts('d.jsonl', bytes, detection)]);
  const lines = Int32Array.from([1, 2, 501, 1303, 7004, 24_003]);
  const inMemory = rowLookup('d.jsonl', bytes, lines);
  const inPieces = rowLookup('d.jsonl', trickle(bytes, 4096), lines);
  for (let i = lines.length - 1; i >= 0; i--) assert.deepEqual(inPieces.row(i), inMemory.row(i), `row ${i}`);
});

test('a set written piece by piece is all or nothing: a failure while a piece is made leaves no file and no temp', async (t) => {
  const dir = folder(t, 'tuneset-pieces-');
  writeFileSync(join(dir, 'a.jsonl'), 'old a\n');
  function* failing() {
    yield enc('new b, first piece\n');
    throw new Error('the source went away');
  }
  await assert.rejects(writeStreamedFilesAtomic([{ path: join(dir, 'a.jsonl'), pieces: [enc('new a\n')] }, { path: join(dir, 'b.jsonl'), pieces: failing() }]), /the source went away/);
  assert.deepEqual(readdirSync(dir), ['a.jsonl']);
  assert.equal(readFileSync(join(dir, 'a.jsonl'), 'utf8'), 'old a\n');
  await writeStreamedFilesAtomic([{ path: join(dir, 'a.jsonl'), pieces: [enc('new '), enc('a\n')] }, { path: join(dir, 'c.json'), data: '{}' }]);
  assert.deepEqual(readdirSync(dir).sort(), ['a.jsonl', 'c.json']);
  assert.equal(readFileSync(join(dir, 'a.jsonl'), 'utf8'), 'new a\n');
});

test('a file on disk read through an open file: the same bytes, the same hash', (t) => {
  const dir = folder(t, 'tuneset-fd-');
  const bytes = bigJsonl();
  writeFileSync(join(dir, 'd.jsonl'), bytes);
  const fd = openSync(join(dir, 'd.jsonl'), 'r');
  try {
    assert.equal(sha256(fileSource(fd)), sha256(bytes));
  } finally {
    closeSync(fd);
  }
});

const REVIEWS = Array.from({ length: 30 }, (_, i) => JSON.stringify({ text: `Unit ${i} arrived quickly and the battery lasts for days.`, label: i < 25 ? 'positive' : 'negative' })).join('\n') + '\n';

test('augment refuses an absurd target (or --n) before making anything, unless --force-large', (t) => {
  const dir = folder(t, 'tuneset-large-');
  writeFileSync(join(dir, 'r.jsonl'), REVIEWS);
  const huge = tuneset(dir, 'augment', 'r.jsonl', '--balance', '--target', '50000000');
  assert.equal(huge.code, 2, huge.err);
  assert.match(huge.err, /^tuneset: r\.jsonl: --target 50,000,000 asks for 99,999,970 new rows from 30 rows, more than 100 per row or 10,000,000 in all; pass --force-large/);
  assert.equal(huge.err.trim().split('\n').length, 1, 'one line');
  const many = tuneset(dir, 'augment', 'r.jsonl', '--n', '101');
  assert.equal(many.code, 2);
  assert.match(many.err, /--n 101 asks for 3,030 new rows from 30 rows/);
  assert.deepEqual(readdirSync(dir), ['r.jsonl'], 'nothing written, no temp left');
  // Allowed, a source row gives at most 1,000 variants: the label stays short, and says so.
  const forced = tuneset(dir, 'augment', 'r.jsonl', '--balance', '--target', '3000', '--force-large', '--ops', 'rd');
  assert.equal(forced.code, 0, forced.err);
  assert.match(forced.out, /warning: "negative" reached \d+ of 3000 rows: its rows could not be varied enough/);
  assert.ok(readFileSync(join(dir, 'r.augmented.jsonl'), 'utf8').split('\n').length < 2 * 3000 + 30);
});

test('a CSV over 512 MiB (the longest text V8 holds) that must be read whole is refused in one line (exit 2): split, augment and report without reading it, check once its first records show it cannot be read in ranges', (t) => {
  const dir = folder(t, 'tuneset-2gib-');
  const file = join(dir, 'big.csv');
  writeFileSync(file, 'text,label\nhello,a\n');
  // A sparse file: 2.2 GB long, a few bytes on disk, and instant to make (and one just over 512 MiB below).
  truncateSync(file, 2_200_000_000);
  for (const args of [['split', 'big.csv'], ['augment', 'big.csv'], ['check', 'big.csv'], ['report', 'big.csv']]) {
    const r = tuneset(dir, ...args);
    assert.equal(r.code, 2, `${args[0]}: ${r.err}`);
    // check reads a big CSV in ranges when it can (report reads every text again, whole); this one (two records, then 2 GB of NULs) it cannot.
    const read = args[0] === 'check' ? 'this CSV file must be read whole (fewer than 1,000 single-line records of 2 fields in the first 64 MB)' : 'CSV files are read whole';
    assert.equal(r.err, `tuneset: big.csv is 2098 MiB: ${read}, and one text holds at most 512 MiB; convert it to JSONL (read in pieces, any size) or split it\n`, args[0]);
  }
  assert.deepEqual(readdirSync(dir), ['big.csv']);
  truncateSync(file, 2 ** 29);
  const r = tuneset(dir, 'check', 'big.csv');
  assert.equal(r.code, 2);
  assert.match(r.err, /^tuneset: big\.csv is 512 MiB: this CSV file must be read whole \(fewer than 1,000 single-line records of 2 fields in the first 64 MB\), and one text holds at most 512 MiB;/);
});

test('a CSV of 250,000 records is read (their rows were once spread into an array, which overflowed the stack)', async () => {
  const { analyzeDataset } = await import('../../server/src/engine');
  const lines = ['text,label'];
  for (let i = 0; i < 250_000; i++) lines.push(`review ${i} of the product,${i % 2 ? 'pos' : 'neg'}`);
  const a = analyzeDataset('big.csv', new TextEncoder().encode(lines.join('\n') + '\n'), undefined, { nearDuplicates: false });
  assert.equal(a.rows, 250_000);
});
