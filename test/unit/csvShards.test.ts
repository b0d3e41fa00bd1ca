import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeCsvShard, analyzeDataset, csvByteRanges, equalCuts, csvRangeReader, detectDatasetFormat, firstTokenSample, lineAt, memorySource, mergeCsvShardsThen,
  openReader, parseConfig, planCsvRead, type CsvLayout, type SourceRow,
} from '../../server/src/engine';
import { parseQuoted, parseWithCsvParse } from '../../server/src/engine/read/csvLayout';
import { seededRandom } from '../../server/src/engine/seededRandom';
import { randomTexts } from './helpers';
import { generateShapes } from '../../bench/lib/shapes';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LABELS = ['pos', 'neg', 'neutral'];

/** A CSV of the shapes real files have: quoted texts with commas, doubled quotes and line breaks, blank lines, short records, repeats. */
function reviewsCsv(rows: number, { crlf = false, bom = false, delimiter = ',' } = {}): Uint8Array {
  const lines = [`id${delimiter}text${delimiter}label`];
  for (let i = 0; i < rows; i++) {
    let text = `review ${i % 400} of the film, ${'and so on '.repeat(i % 4)}`;
    if (delimiter === ',') {
      if (i % 13 === 0) text = `"first line of ${i}\nsecond line, ""quoted"" words\nthird"`;
      else if (i % 7 === 0) text = `"a ""quote"" in ${i}"`;
      else text = `"${text}"`;
    } else text = text.replace(/,/g, '');
    if (i % 29 === 0) text = '';
    const label = LABELS[i % 3];
    lines.push(i % 101 === 5 ? `${i}${delimiter}${text}` : `${i}${delimiter}${text}${delimiter}${label}`);
    if (i % 50 === 0) lines.push('');
  }
  // A quote that runs over lines which each look like a record: csv-suspect-multiline.
  if (delimiter !== '\t') lines.splice(700, 0, ...[`9999,"this quote opens here,pos`, `1,another row,neg`, `2,and one more,neutral"`].map((l) => l.replace(/,/g, delimiter)));
  const text = lines.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
  const bytes = new TextEncoder().encode(text);
  return bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]) : bytes;
}

function layoutOf(bytes: Uint8Array, tsv = false): CsvLayout {
  const plan = planCsvRead(memorySource(bytes), { tsv }, 8 * 1024);
  assert.ok('layout' in plan, 'why' in plan ? plan.why : '');
  return plan.layout;
}

/** The rows of every range, one after the other, numbered as the whole file's. */
function rowsOfRanges(bytes: Uint8Array, layout: CsvLayout, count: number, pieceBytes: number): SourceRow[] {
  const source = memorySource(bytes);
  const out: SourceRow[] = [];
  for (const r of csvByteRanges(source, equalCuts(bytes.length, count), layout.quoting)) {
    const range = csvRangeReader(bytes, { ...r, firstLine: lineAt(bytes, r.start) }, layout, 16, pieceBytes);
    const rows = [...range.reader.rows()];
    assert.equal(range.failure(), undefined);
    // A row read again from its bytes is the row read in the pass.
    for (const row of rows) assert.deepEqual(range.reader.row(row.index), row);
    for (const row of rows) out.push({ ...row, index: out.length });
  }
  return out;
}

const VARIANTS: [string, Uint8Array, boolean][] = [
  ['CSV', reviewsCsv(2500), false],
  ['CSV with CRLF and a byte order mark', reviewsCsv(2500, { crlf: true, bom: true }), false],
  ['CSV with ;', reviewsCsv(2500, { delimiter: ';' }), false],
  ['TSV read literally', reviewsCsv(2500, { delimiter: '\t' }), true],
];

test('a CSV/TSV read range by range, in pieces, gives the whole file\'s rows', () => {
  for (const [name, bytes, tsv] of VARIANTS) {
    const whole = openReader(tsv ? 'd.tsv' : 'd.csv', bytes);
    const expected = [...whole.rows()];
    const layout = layoutOf(bytes, tsv);
    assert.deepEqual(layout.columns, whole.columns, name);
    for (const count of [1, 2, 5]) {
      for (const piece of [300, 4096, 1 << 22]) assert.deepEqual(rowsOfRanges(bytes, layout, count, piece), expected, `${name}, ${count} ranges, pieces of ${piece}`);
    }
  }
});

test('a sharded CSV/TSV analysis gives exactly the single-pass result', () => {
  const { config } = parseConfig({});
  for (const [name, bytes, tsv] of VARIANTS) {
    const path = tsv ? 'd.tsv' : 'd.csv';
    const single = analyzeDataset(path, bytes, config, { fixes: true });
    assert.ok(single.summary['csv-field-count'] > 0 && single.summary['exact-duplicate'] > 0, name);
    if (!tsv) assert.equal(single.summary['csv-suspect-multiline'], 1, name);
    const layout = layoutOf(bytes, tsv);
    const source = memorySource(bytes);
    const detection = detectDatasetFormat(csvRangeReader(source, { start: 0, end: bytes.length, firstLine: 1 }, layout).reader.rows(), config);
    for (const count of [2, 3, 7]) {
      const shards = csvByteRanges(source, equalCuts(bytes.length, count), layout.quoting).map((r) => ({ ...r, firstLine: lineAt(bytes, r.start) }));
      const results = shards.map((s, k) => analyzeCsvShard(source, s, layout, detection, config, { fixes: true }, false, k === 0));
      assert.ok(results.every((r) => r.failure === undefined), `${name}: ${results.map((r) => r.failure)}`);
      const merged = mergeCsvShardsThen(path, source, layout, detection, config, { fixes: true }, results)(firstTokenSample(source, detection, config, layout));
      assert.deepEqual(merged, single, `${name}, ${count} shards`);
    }
  }
});

test('cuts fall between records, never inside a quoted field that holds line breaks', () => {
  const bytes = new TextEncoder().encode(`text,label\n"a\nb\nc\nd\ne\nf",x\n"g\nh",y\nplain,z\n`);
  const ranges = csvByteRanges(memorySource(bytes), equalCuts(bytes.length, 4), true);
  const text = new TextDecoder().decode(bytes);
  assert.deepEqual(ranges.map((r) => text.slice(r.start, r.end)), ['text,label\n', '"a\nb\nc\nd\ne\nf",x\n', '"g\nh",y\n', 'plain,z\n']);
});

test('a range that cannot be read as the whole file is says so, and a random file is either read exactly or said so', () => {
  // A quote inside an unquoted field (5" screen) miscounts the quotes: a cut lands inside a quoted field.
  const lines = ['text,label', 'a 5" screen,pos'];
  for (let i = 0; i < 3000; i++) lines.push(i % 3 === 0 ? `"line one ${i}\nline two",neg` : `row ${i},pos`);
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  const layout = layoutOf(bytes);
  const source = memorySource(bytes);
  const ranges = csvByteRanges(source, equalCuts(source.size, 3), true);
  const failures = ranges.slice(0, -1).map((r) => {
    const range = csvRangeReader(source, { ...r, firstLine: lineAt(bytes, r.start) }, layout);
    Array.from(range.reader.rows());
    return range.failure();
  });
  assert.ok(failures.includes('open-quote'), `${failures}`);

  // Random files of quotes, delimiters, line breaks and stray quotes: a sharded reading without a
  // failure is the whole reading, always.
  const random = seededRandom(7);
  const pieces = ['a', 'b c', ',', '"', '""', '\n', '\r\n', 'x,y', ' ', 'pos', 'neg', '"q, r"', '"s\nt"'];
  let exact = 0;
  let said = 0;
  const whys: string[] = [];
  for (let round = 0; round < 60; round++) {
    const parts = ['text,label,id\n'];
    for (let i = 0; i < 4000; i++) {
      const piece = () => pieces[Math.floor(random() * pieces.length)];
      // Pieces at a field's start open quoted fields; at its end they are text (csv-parse's relax_quotes).
      parts.push(`${random() < 0.01 ? piece() : ''}row ${i % 300},${random() < 0.01 ? piece() : ''}${LABELS[i % 3]},${i}`);
      if (random() < 0.03) parts.push(piece());
      parts.push(random() < 0.02 ? '\r\n' : '\n');
    }
    const file = new TextEncoder().encode(parts.join(''));
    const plan = planCsvRead(memorySource(file), {}, 4096);
    if (!('layout' in plan)) {
      whys.push(plan.why);
      continue;
    }
    const expected = [...openReader('r.csv', file).rows()];
    let rows: SourceRow[] = [];
    let failed = false;
    for (const r of csvByteRanges(memorySource(file), equalCuts(file.length, 4), plan.layout.quoting)) {
      const range = csvRangeReader(file, { ...r, firstLine: lineAt(file, r.start) }, plan.layout, 16, 512);
      const part = [...range.reader.rows()];
      if (range.failure()) failed = true;
      rows = rows.concat(part.map((row) => ({ ...row, index: rows.length + row.index })));
    }
    if (failed) {
      said++;
      continue;
    }
    assert.deepEqual(rows, expected, `round ${round}`);
    exact++;
  }
  assert.ok(exact >= 10 && said >= 10, `${exact} of 60 random files read in ranges, ${said} said so; not planned: ${whys}`);
});

test('a TSV whose fields start with quotes, a UTF-16 file or one too short are read whole (planCsvRead says why)', () => {
  const tsv = new TextEncoder().encode(['text\tlabel', ...Array.from({ length: 3000 }, (_, i) => `${i % 500 === 9 ? '"' : ''}row ${i}\tpos`)].join('\n'));
  assert.deepEqual(planCsvRead(memorySource(tsv), { tsv: true }, 4096), { why: 'a TSV with quoted fields' });
  assert.deepEqual(planCsvRead(memorySource(new Uint8Array([0xff, 0xfe, 0x61, 0, 0x0a, 0])), {}), { why: 'UTF-16' });
  assert.deepEqual(planCsvRead(memorySource(new TextEncoder().encode('text,label\na,b\n')), {}), { why: 'small' });
});

test('parseQuoted reads every text as csv-parse does: strict records directly, any other text by csv-parse', () => {
  const bits = ['a', ' ', ',', '"', '""', '\n', '\n\n', 'b c', '"x"', ';', '"y\nz"', '\r'];
  let direct = 0;
  for (const text of randomTexts(bits, 20000, 12, 11)) {
    const fast = parseQuoted(text, ',');
    const slow = parseWithCsvParse(text, ',');
    assert.deepEqual(fast.records, slow.records, JSON.stringify(text));
    assert.equal(fast.error?.code, slow.error?.code, JSON.stringify(text));
    if (!/["\r]/.test(text) || fast.records.length) direct++;
  }
  assert.ok(direct > 5000, `${direct}`);
  // A real mix (quoted texts with line breaks and doubled quotes, broken records): the same records.
  for (const [name, bytes] of VARIANTS) {
    const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
    const delimiter = name.includes(';') ? ';' : name.includes('TSV') ? '\t' : ',';
    const fast = parseQuoted(text, delimiter);
    const slow = parseWithCsvParse(text, delimiter);
    assert.deepEqual([fast.records, fast.error?.code], [slow.records, slow.error?.code], name);
  }
  // The bench's shapes mix as CSV: long prose, blobs, code, CJK, markup, broken records.
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-csv-'));
  try {
    generateShapes({ rows: 3000, out: join(dir, 's.jsonl'), seed: 5 });
    const text = readFileSync(join(dir, 's.csv'), 'utf8');
    const fast = parseQuoted(text, ',');
    const slow = parseWithCsvParse(text, ',');
    assert.ok(slow.records.length > 2900);
    assert.deepEqual([fast.records, fast.error?.code], [slow.records, slow.error?.code], 'shapes');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
