import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openReader } from '../../server/src/engine';
import { csvFieldSpans, sniffDelimiter } from '../../server/src/engine/read/csv';
import fc from 'fast-check';
import { bomLength, decodeText, firstInvalidUtf8, LineDecoder, splitLines } from '../../server/src/engine/read/decode';
import { decodeSourceLines, memorySource, SourceWindow, splitSourceLines, type ByteSource } from '../../server/src/engine/read/source';
import { estimatedRows, jsonlReader } from '../../server/src/engine/read/jsonl';
import { locateJsonValue, skipValue } from '../../server/src/engine/read/jsonScan';
import { analyze, jsonl, ofRule, randomTexts } from './helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const rowsOf = (name: string, s: string | Uint8Array) => [...openReader(name, typeof s === 'string' ? enc(s) : s).rows()];

test('jsonl: CRLF, BOM, blank lines and a last line without newline keep exact line numbers', () => {
  const rows = rowsOf('a.jsonl', '\uFEFF{"a":1}\r\n\r\n  \n{"a":2}\r\n{"a":3}');
  assert.deepEqual(rows.map((r) => [r.line, r.value]), [[1, { a: 1 }], [4, { a: 2 }], [5, { a: 3 }]]);
  assert.equal(rows[1].text, '{"a":2}', 'no \\r left in the row text');
});

test('jsonl: a very long line is one row', () => {
  const long = 'word '.repeat(200_000);
  const rows = rowsOf('a.jsonl', jsonl({ text: long, label: 'x' }, { text: 'b', label: 'y' }));
  assert.equal(rows.length, 2);
  assert.equal((rows[0].value as { text: string }).text.length, long.length);
  assert.equal(rows[1].line, 2);
});

test('jsonl: invalid JSON points at the error column', () => {
  const a = analyze(jsonl({ text: 'fine row', label: 'a' }, '{"text": "x", "label": }'));
  const [f] = ofRule(a, 'invalid-json');
  assert.equal(f.line, 2);
  assert.equal(f.column, 24);
  assert.match(f.message, /Invalid JSON: Unexpected token '}' \(column 24\)/);
});

test('invalid UTF-8 is read as Windows-1252 and reported at the first bad byte', () => {
  const bytes = new Uint8Array([...enc('{"text":"ok fine","label":"a"}\n{"text":"caf'), 0xe9, ...enc(' au lait","label":"a"}\n')]);
  assert.equal(firstInvalidUtf8(bytes), 43);
  const a = analyze(bytes);
  const [f] = ofRule(a, 'invalid-utf8');
  assert.equal(f.line, 2);
  assert.equal(f.column, 13);
  assert.match(f.message, /byte 0xE9 at line 2, column 13; 1 line was read as Windows-1252/);
  assert.equal(a.rows, 2);
  const rows = rowsOf('a.jsonl', bytes);
  assert.equal((rows[1].value as { text: string }).text, 'café au lait');
});

test('valid multi-byte UTF-8 is not flagged', () => {
  assert.equal(firstInvalidUtf8(enc('naïve 日本語 😀')), -1);
  assert.equal(ofRule(analyze(jsonl({ text: 'naïve 日本語 😀 ok', label: 'a' })), 'invalid-utf8').length, 0);
});

test('csv: header, quoted multi-line fields and line numbers', () => {
  const rows = rowsOf('a.csv', 'text,label\n"hello, ""world""\nsecond line",pos\n\nplain,neg\n');
  assert.deepEqual(rows.map((r) => [r.line, r.value]), [
    [2, { text: 'hello, "world"\nsecond line', label: 'pos' }],
    [5, { text: 'plain', label: 'neg' }],
  ]);
});

test('csv: CRLF files keep their line numbers', () => {
  const rows = rowsOf('a.csv', 'text,label\r\n"a\r\nb",x\r\nc,y\r\n');
  assert.deepEqual(rows.map((r) => r.line), [2, 4]);
});

test('csv: field-count errors and an unclosed quote are findings, not crashes', () => {
  const a = analyze('text,label\ngood row here,pos\nextra,neg,oops\n"never closed,pos\nmore\n', 'a.csv');
  assert.deepEqual(a.findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.line]), [
    ['csv-field-count', 3],
    ['csv-unclosed-quote', 4],
  ]);
  assert.match(ofRule(a, 'csv-field-count')[0].message, /Record has 3 fields; the header has 2/);
});

test('csv/tsv: the delimiter is sniffed from the header', () => {
  assert.equal(sniffDelimiter('text;label\na;b', false), ';');
  assert.equal(sniffDelimiter('text\tlabel\n', true), '\t');
  assert.equal(sniffDelimiter('"a,b";c;d\n', false), ';');
  const rows = rowsOf('a.tsv', 'sentence\tlabel\nhi there\tx\n');
  assert.deepEqual(rows[0].value, { sentence: 'hi there', label: 'x' });
});

test('csv: field spans point inside quotes', () => {
  const spans = csvFieldSpans('"a ""b""",c', ',');
  assert.deepEqual(spans.map((s) => [s.start, s.end]), [[1, 8], [10, 11]]);
  assert.equal(spans[0].rawIndex(3), 5, 'a doubled quote is one decoded character');
});

test('csv: findings point at the field value', () => {
  const a = analyze('text,label\n"write to me at a@b.co",pos\n', 'a.csv');
  const [f] = ofRule(a, 'pii-email');
  assert.deepEqual([f.line, f.column, f.endColumn], [2, 17, 23]);
});

test('json arrays: each element is a row with its own position', () => {
  const text = '[\n  {"instruction": "Say hi", "output": "Hi"},\n  {"instruction": "Add 2+2", "output": ""}\n]\n';
  const rows = rowsOf('a.json', text);
  assert.deepEqual(rows.map((r) => [r.line, r.column]), [[2, 3], [3, 3]]);
  const a = analyze(text, 'a.json');
  assert.equal(a.format, 'instruction');
  const [f] = ofRule(a, 'empty-output');
  assert.deepEqual([f.line, f.column], [3, 40]);
});

test('json: a broken element costs only its own row', () => {
  const a = analyze('[\n {"text": "a b"},\n {"text": },\n {"text": "c d"}\n]', 'a.json');
  const [f] = ofRule(a, 'invalid-json');
  assert.equal(f.line, 3);
  assert.equal(a.rows, 3);
});

test('json: an array that is never closed is reported at its end', () => {
  const a = analyze('[\n {"text": "a b"},\n {"text": "c d"}\n', 'a.json');
  assert.deepEqual(ofRule(a, 'invalid-json').map((f) => [f.line, f.message]), [[4, 'Invalid JSON: the array is never closed with ]']]);
});

test('findings point at the decoded offset even after escapes', () => {
  const a = analyze(jsonl({ text: 'line\none "quoted" then bob@example.com', label: 'a' }));
  const [f] = ofRule(a, 'pii-email');
  const raw = jsonl({ text: 'line\none "quoted" then bob@example.com', label: 'a' });
  assert.equal(raw.slice(f.column - 1, f.endColumn - 1), 'bob@example.com');
});

test('lines decoded in blocks are exactly the lines decoded one by one (offsets, BOMs, CRLF, bad bytes)', () => {
  /** The plain way: find each newline, decode the line alone. */
  const oneByOne = (bytes: Uint8Array, range?: { start: number; end: number; firstLine: number }) => {
    const decoder = new LineDecoder();
    const out = [];
    let pos = range ? Math.max(range.start, range.start === 0 ? bomLength(bytes) : 0) : bomLength(bytes);
    let line = range ? range.firstLine - 1 : 0;
    const n = range ? range.end : bytes.length;
    while (pos < n) {
      let nl = bytes.indexOf(10, pos);
      if (nl < 0 || nl > n) nl = n;
      const end = nl > pos && bytes[nl - 1] === 13 ? nl - 1 : nl;
      line++;
      out.push({ line, text: decoder.decode(bytes.subarray(pos, end), line), start: pos, end });
      pos = nl + 1;
    }
    return { out, invalid: decoder.invalid };
  };
  const piece = fc.constantFrom(
    enc('{"a":1}'), enc('plain ascii text'), enc('naïve café'), enc('日本語'), enc('😀'), enc('\uFEFF'), enc('\r'), enc('\n'), enc('\r\n'),
    new Uint8Array([0xe9]), new Uint8Array([0xf0, 0x9f]), new Uint8Array([0xc3]), enc(' '),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 40 }), (pieces, blockBytes) => {
      const bytes = new Uint8Array(pieces.flatMap((p) => [...p]));
      const decoder = new LineDecoder();
      const blocks = [...splitLines(bytes, decoder, undefined, blockBytes)];
      const expected = oneByOne(bytes);
      assert.deepEqual(blocks, expected.out);
      assert.deepEqual(decoder.invalid, expected.invalid);
      const mid = bytes.indexOf(10, bytes.length >> 1) + 1;
      if (mid > 0) {
        const range = { start: mid, end: bytes.length, firstLine: 7 };
        assert.deepEqual([...splitLines(bytes, new LineDecoder(), range, blockBytes)], oneByOne(bytes, range).out);
      }
    }),
    { numRuns: 3000 },
  );
});

/** Bytes as a source that hands out at most `most` bytes a read, as a pipe or a slow disk may. */
function shortReads(bytes: Uint8Array, most: number): ByteSource {
  const inner = memorySource(bytes);
  return { size: bytes.length, read: (into, position) => inner.read(into.subarray(0, most), position) };
}

test('lines read from a source in chunks are the lines of the whole bytes (chunks cut anywhere, lines longer than a chunk)', () => {
  const piece = fc.constantFrom(enc('{"a":1}'), enc('naïve'), enc('😀'), enc('\uFEFF'), enc('\r\n'), enc('\n'), new Uint8Array([0xe9]), enc('x'.repeat(30)));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 9 }), (pieces, chunkBytes, most) => {
      const bytes = new Uint8Array(pieces.flatMap((p) => [...p]));
      const whole = new LineDecoder();
      const expected = [...splitLines(bytes, whole)];
      const decoder = new LineDecoder();
      assert.deepEqual([...splitSourceLines(shortReads(bytes, most), decoder, undefined, chunkBytes, 4)], expected);
      assert.deepEqual(decoder.invalid, whole.invalid);
      const mid = bytes.indexOf(10, bytes.length >> 1) + 1;
      if (mid > 0) {
        const range = { start: mid, end: bytes.length, firstLine: 7 };
        assert.deepEqual([...splitSourceLines(shortReads(bytes, most), new LineDecoder(), range, chunkBytes)], [...splitLines(bytes, new LineDecoder(), range)]);
      }
    }),
    { numRuns: 2000 },
  );
});

test('a source window gives back any byte range, read again only when it leaves the window', () => {
  const bytes = new TextEncoder().encode('0123456789abcdefghijklmnopqrstuvwxyz'.repeat(5));
  let reads = 0;
  const counting: ByteSource = { size: bytes.length, read: (into, position) => (reads++, memorySource(bytes).read(into, position)) };
  // A 64-byte window: a range starting under 4 bytes (64 / 16) after the last one continues in order.
  const window = new SourceWindow(counting, 64);
  assert.deepEqual(window.slice(3, 10), bytes.subarray(3, 10));
  assert.deepEqual(window.slice(10, 19), bytes.subarray(10, 19));
  assert.deepEqual(window.slice(21, 40), bytes.subarray(21, 40));
  assert.equal(reads, 1);
  assert.deepEqual(window.slice(17, 100), bytes.subarray(17, 100)); // longer than the window
  let copied = 0;
  const measured = new SourceWindow({ size: bytes.length, read: (into, position) => ((copied += into.length), memorySource(bytes).read(into, position)) }, 64);
  assert.deepEqual(measured.slice(100, 104), bytes.subarray(100, 104)); // far from the last range: read alone
  assert.deepEqual(measured.slice(104, 110), bytes.subarray(104, 110)); // just after it: a whole window
  assert.equal(copied, 4 + 64);
  assert.deepEqual(measured.slice(20, 24), bytes.subarray(20, 24)); // out of order: read alone…
  assert.deepEqual(measured.slice(175, 178), bytes.subarray(175, 178));
  assert.deepEqual(measured.slice(110, 118), bytes.subarray(110, 118)); // …and the window stays
  assert.equal(copied, 4 + 64 + 4 + 3);
  assert.deepEqual(window.slice(0, 2), bytes.subarray(0, 2)); // backwards
  assert.deepEqual(window.slice(175, 190), bytes.subarray(175, 180)); // past the end: what there is
  fc.assert(fc.property(fc.nat(bytes.length), fc.nat(40), (start, length) => {
    assert.deepEqual(window.slice(start, start + length), bytes.subarray(start, start + length));
  }));
});

test('decodeSourceLines is the decoded text split at newlines, as the readers decode it (BOMs, CR, bad bytes, non-ASCII, empty; any chunk size)', () => {
  const piece = fc.constantFrom(enc('{"a":1}'), enc('naïve'), enc('😀'), enc('\uFEFF'), enc('\r\n'), enc('\r'), enc('\n'), new Uint8Array([0xe9]), enc('x'.repeat(30)));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 50 }), (pieces, chunkBytes) => {
      const bytes = new Uint8Array(pieces.flatMap((p) => [...p]));
      // The editor's UTF-8 reading for a UTF-8 file; lines that are not UTF-8 in the file's legacy encoding.
      const expected = decodeText(bytes).text.split('\n');
      if (firstInvalidUtf8(bytes) < 0) assert.deepEqual(expected, new TextDecoder().decode(bytes).split('\n'));
      assert.deepEqual(decodeSourceLines(memorySource(bytes), chunkBytes), expected);
      assert.deepEqual(decodeSourceLines(shortReads(bytes, 3)), expected);
    }),
    { numRuns: 3000 },
  );
  assert.deepEqual(decodeSourceLines(memorySource(new Uint8Array(0))), ['']);
  assert.deepEqual(decodeSourceLines(memorySource(enc('\uFEFFa\nb\n'))), ['a', 'b', '']);
});

test('a U+FEFF starting a later line is a character of that line, not dropped as a byte order mark', () => {
  const bytes = enc('\uFEFF{"text":"first","label":"a"}\n\uFEFF{"text":"café","label":"a"}\n');
  const rows = [...openReader('d.jsonl', bytes).rows()];
  assert.equal(rows[0].text, '{"text":"first","label":"a"}');
  assert.equal(rows[1].text, '\uFEFF{"text":"café","label":"a"}');
  assert.equal(rows[1].problem?.rule, 'invalid-json');
});

test('jsonl: row offsets sized for fewer rows than the file holds grow, and every row is re-read from them', () => {
  const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ text: `row ${i} ${'é'.repeat(i % 4)}`, label: 'a' }));
  const bytes = new TextEncoder().encode(`${lines.slice(0, 20).join('\n')}\n\n${lines.slice(20).join('\r\n')}\n`);
  const reader = jsonlReader(bytes, undefined, 3);
  const rows = [...reader.rows()];
  assert.equal(rows.length, 50);
  const { starts, ends } = reader.offsets!();
  assert.equal(starts.length, 50);
  for (const row of rows) {
    assert.deepEqual(reader.row(row.index), row);
    assert.equal(new TextDecoder().decode(bytes.subarray(starts[row.index], ends[row.index])), lines[row.index]);
  }
});

test('jsonl: the estimate of a range\'s rows is a little over the rows it holds, from memory or a source', () => {
  const line = (i: number) => JSON.stringify({ text: 'word '.repeat(20 + (i % 40)), label: i % 3 ? 'a' : 'b' });
  const text = Array.from({ length: 20_000 }, (_, i) => line(i)).join('\n') + '\n';
  const bytes = new TextEncoder().encode(text);
  for (const input of [bytes, memorySource(bytes)]) {
    const all = estimatedRows(input);
    assert.ok(all >= 20_000 && all <= 20_000 * 1.25 + 1024, `${all}`);
    const half = text.indexOf('\n', text.length / 2) + 1;
    const rest = estimatedRows(input, { start: half, end: bytes.length });
    const restRows = text.slice(half).split('\n').length - 1;
    assert.ok(rest >= restRows && rest <= restRows * 1.25 + 1024, `${rest} for ${restRows}`);
  }
  assert.equal(estimatedRows(new TextEncoder().encode('{"text":"a"}\n')), 1024);
});

test('locating a value: keys match as JSON decodes them (escapes too) and only whole', () => {
  const row = '{"textual": 1, "te\\u0078t": "hi", "la\\"bel": [0, {"x": true}], "label" : "a"}';
  const span = (value: string) => ({ start: row.indexOf(value), end: row.indexOf(value) + value.length });
  assert.deepEqual(locateJsonValue(row, ['text']), span('"hi"'));
  assert.deepEqual(locateJsonValue(row, ['textual']), span('1'));
  assert.deepEqual(locateJsonValue(row, ['label']), span('"a"'));
  assert.deepEqual(locateJsonValue(row, ['la"bel', 1, 'x']), span('true'));
  assert.equal(locateJsonValue(row, ['tex']), undefined);
  assert.equal(locateJsonValue('{"text', ['text']), undefined);
  assert.equal(locateJsonValue('{"te\\"', ['te"']), undefined);
  // Of duplicate keys, the last: JSON.parse reads it, so a fix must change it (and nested, at every level).
  const twice = '{"text": "first", "m": {"a": 1}, "text": "second", "m": {"a": 2, "a": 3}}';
  const at = (value: string) => ({ start: twice.indexOf(value), end: twice.indexOf(value) + value.length });
  assert.deepEqual(locateJsonValue(twice, ['text']), at('"second"'));
  assert.deepEqual(locateJsonValue(twice, ['m', 'a']), at('3'));
});

test('a JSON string is skipped to its closing quote: the first quote after an even run of backslashes, as a scan of each character finds it', () => {
  // The scan the indexOf search replaced: a backslash takes the character after it along.
  const byCharacter = (s: string, i: number) => {
    for (i++; i < s.length; ) {
      const c = s.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === 34) return i + 1;
      else i++;
    }
    return s.length;
  };
  for (const body of randomTexts(['a', '\\', '"', '\\\\', '\\"', 'u00e9', ' ', '\\n'], 20000, 9, 3)) {
    const s = `"${body}`;
    assert.equal(skipValue(s, 0), byCharacter(s, 0), JSON.stringify(s));
    assert.equal(skipValue(`{"k":${s}`, 5), byCharacter(`{"k":${s}`, 5), JSON.stringify(s));
  }
});

test('csv field spans found with indexOf are the spans a scan of each character finds', () => {
  // The scan the indexOf search replaced.
  const byCharacter = (record: string, delimiter: string) => {
    const spans: [number, number][] = [];
    let i = 0;
    const n = record.length;
    for (;;) {
      if (record[i] === '"') {
        const start = i + 1;
        let j = start;
        while (j < n) {
          if (record[j] === '"') {
            if (record[j + 1] === '"') j += 2;
            else break;
          } else j++;
        }
        spans.push([start, j]);
        i = j + 1;
        while (i < n && record[i] !== delimiter) i++;
      } else {
        const start = i;
        while (i < n && record[i] !== delimiter) i++;
        spans.push([start, i]);
      }
      if (i >= n) break;
      i++;
    }
    return spans;
  };
  for (const record of randomTexts(['a', ',', '"', '""', ' ', '\n', 'bc', ';'], 20000, 10, 5)) {
    for (const delimiter of [',', ';']) {
      assert.deepEqual(csvFieldSpans(record, delimiter).map((s) => [s.start, s.end]), byCharacter(record, delimiter), JSON.stringify(record));
    }
  }
});
