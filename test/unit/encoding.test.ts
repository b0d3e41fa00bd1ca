import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyzeDataset, analyzeJsonlShard, datasetSource, decodeSourceLines, detectDatasetFormat, jsonlReader, memorySource, mergeJsonlShards, openReader,
  parseConfig, planJsonlShards,
} from '../../server/src/engine';
import { decodeText, LineDecoder, splitLines } from '../../server/src/engine/read/decode';
import {
  decodeLegacy, decodeWindows1252, detectEncoding, encodingFromStart, EVIDENCE_BYTES, legacyEncodingOf, notUtf8Lines, utf8Bytes,
} from '../../server/src/engine/read/encoding';
import { ofRule } from './helpers';

/**
 * Files that are not UTF-8 are read as the user's editor would read them: the encoding detected
 * (a byte order mark, UTF-16's NULs, else the legacy encoding the bytes read best in), named, and
 * the rules judging correctly decoded text.
 */

const CORPUS = join(__dirname, '..', 'fixtures', 'real-shapes');
const fixture = (name: string) => new Uint8Array(readFileSync(join(CORPUS, name)));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** An encoder for a legacy encoding, made by reading every one- and two-byte code with the platform's decoder. */
function legacyEncoder(encoding: string): (text: string) => Uint8Array {
  const codes = new Map<string, number[]>();
  const decoder = new TextDecoder(encoding);
  for (let b = 0x80; b < 0x100; b++) {
    const s = decoder.decode(new Uint8Array([b]));
    if (s.length === 1 && s !== '\uFFFD' && s.charCodeAt(0) >= 0xa0) codes.set(s, [b]);
  }
  for (let lead = 0x81; lead < 0xff; lead++) {
    const bytes: number[] = [];
    for (let trail = 0x40; trail < 0xff; trail++) bytes.push(lead, trail, 10);
    decoder.decode(new Uint8Array(bytes)).split('\n').slice(0, 0xff - 0x40).forEach((s, k) => {
      if ([...s].length === 1 && s !== '\uFFFD' && s.codePointAt(0)! >= 0x80 && !codes.has(s)) codes.set(s, [lead, 0x40 + k]);
    });
  }
  return (text) => Uint8Array.from([...text].flatMap((ch) => {
    if (ch.charCodeAt(0) < 0x80) return [ch.charCodeAt(0)];
    const code = codes.get(ch);
    if (!code) throw new Error(`${encoding} has no ${ch}`);
    return code;
  }));
}

/** Windows-1252 bytes of a text (every character must have one). */
function cp1252(text: string): Uint8Array {
  const table = decodeWindows1252(Uint8Array.from({ length: 256 }, (_, b) => b));
  return Uint8Array.from([...text].map((ch) => {
    const b = table.indexOf(ch);
    if (b < 0) throw new Error(`Windows-1252 has no ${ch}`);
    return b;
  }));
}

const chinese = [
  '人工智能是计算机科学的一个分支，它企图了解智能的实质，并生产出一种新的能以人类智能相似的方式做出反应的智能机器。',
  '今天天气很好，我们去公园散步吧。孩子们在草地上玩耍，老人们在树下下棋。',
  '这家餐厅的菜味道一般，但是服务员的态度非常好，环境也很干净。价格有点贵，不过分量很足。',
];
const traditional = [
  '人工智慧是計算機科學的一個分支，它企圖了解智慧的實質，並生產出一種新的能以人類智慧相似的方式做出反應的智慧機器。',
  '今天天氣很好，我們去公園散步吧。孩子們在草地上玩耍，老人們在樹下下棋。',
];
const japanese = [
  '商品はとても良かったです。また購入したいと思います。',
  '配送が遅くて、箱も少し壊れていました。',
  '値段の割に品質が高く、満足しています。',
];
const korean = [
  '배송이 빠르고 포장도 꼼꼼해서 만족합니다.',
  '품질이 기대보다 좋지 않아서 실망했어요.',
  '가격 대비 성능이 훌륭하고 디자인도 예쁩니다.',
];

/** A CSV of texts and labels. */
const csv = (texts: string[]) => ['text,label', ...texts.map((t, i) => `${t},${['a', 'b'][i % 2]}`)].join('\n') + '\n';

test("Windows-1252 reads 0x80–0x9F as the WHATWG table says (Node's own decoder reads them as C1 controls)", () => {
  const high = decodeWindows1252(Uint8Array.from({ length: 32 }, (_, k) => 0x80 + k));
  assert.equal(high, '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ');
  assert.equal(decodeWindows1252(new Uint8Array([0x49, 0x92, 0x6d, 0x20, 0x93, 0x6f, 0x6b, 0x94, 0x20, 0x96, 0x20, 0x80, 0x35, 0x97, 0x85])), 'I’m “ok” – €5—…');
  // ASCII and Latin-1 are themselves; a long line is decoded whole.
  assert.equal(decodeWindows1252(Uint8Array.from({ length: 96 }, (_, k) => 0xa0 + k)), String.fromCharCode(...Array.from({ length: 96 }, (_, k) => 0xa0 + k)));
  const long = 'caf\u00e9 don’t '.repeat(20000);
  assert.equal(decodeWindows1252(cp1252(long)), long);
  assert.equal(decodeWindows1252(new Uint8Array(0)), '');
});

test('the platform decodes the multi-byte legacy encodings and UTF-16 correctly', () => {
  const cases: [string, number[], string][] = [
    ['gb18030', [0xd6, 0xd0, 0xce, 0xc4], '中文'],
    ['gbk', [0xc4, 0xe3, 0xba, 0xc3], '你好'],
    ['shift_jis', [0x82, 0xa0, 0x93, 0xfa, 0x96, 0x7b, 0x83, 0x65], 'あ日本テ'],
    ['big5', [0xa4, 0xa4, 0xa4, 0xe5, 0xc1, 0x63], '中文繁'],
    ['euc-kr', [0xc7, 0xd1, 0xb1, 0xb9, 0xbe, 0xee], '한국어'],
    ['utf-16le', [0xff, 0xfe, 0x41, 0, 0x2d, 0x4e], 'A中'],
    ['utf-16be', [0xfe, 0xff, 0, 0x41, 0x4e, 0x2d], 'A中'],
  ];
  for (const [encoding, bytes, text] of cases) assert.equal(new TextDecoder(encoding).decode(new Uint8Array(bytes)), text, encoding);
  assert.equal(decodeLegacy(new Uint8Array([0xd6, 0xd0, 0x0a, 0x92]), 'gb18030'), '中\n\uFFFD');
});

test('a byte order mark names UTF-8 or UTF-16; UTF-16 without one is recognised by its NULs', () => {
  assert.equal(encodingFromStart(utf8('\uFEFF{"a":1}')), 'utf-8-bom');
  assert.equal(encodingFromStart(new Uint8Array([0xff, 0xfe, 0x7b, 0])), 'utf-16le');
  assert.equal(encodingFromStart(new Uint8Array([0xfe, 0xff, 0, 0x7b])), 'utf-16be');
  const text = '{"text": "héllo wörld", "label": "a"}\n{"text": "中文", "label": "b"}\n';
  assert.equal(encodingFromStart(Buffer.from(text, 'utf16le')), 'utf-16le');
  assert.equal(encodingFromStart(Buffer.from(text, 'utf16le').swap16()), 'utf-16be');
  assert.equal(encodingFromStart(utf8(text)), undefined);
  assert.equal(encodingFromStart(new Uint8Array([0x7b])), undefined);
  assert.equal(encodingFromStart(new Uint8Array(0)), undefined);
  assert.equal(new TextDecoder().decode(utf8Bytes(Buffer.from('\uFEFF' + text, 'utf16le'))), text, 'the mark dropped');
  const plain = utf8(text);
  assert.equal(utf8Bytes(plain), plain, 'other bytes are left as they are');
});

test('detection: valid UTF-8 is UTF-8 (UTF-8 first), whatever it holds', () => {
  for (const text of [csv(chinese), csv(japanese), csv(korean), 'naïve café, don’t “quote” €5\n', 'plain ascii\n', '']) {
    assert.equal(detectEncoding(utf8(text)), 'utf-8');
    assert.equal(detectEncoding(utf8('\uFEFF' + text)), 'utf-8-bom');
  }
  // Mojibake is valid UTF-8 too: it is the mojibake rule's business, not the decoder's.
  assert.equal(detectEncoding(utf8('donâ€™t cafÃ©\n')), 'utf-8');
});

test('detection: realistic files in legacy encodings', () => {
  assert.equal(detectEncoding(fixture('reviews-cp1252.csv')), 'windows-1252');
  assert.equal(detectEncoding(fixture('news-gb18030.csv')), 'gb18030');
  assert.equal(detectEncoding(fixture('utf16-bom.jsonl')), 'utf-16le');
  assert.equal(detectEncoding(legacyEncoder('gb18030')(csv(chinese))), 'gb18030');
  assert.equal(detectEncoding(legacyEncoder('shift_jis')(csv(japanese))), 'shift_jis');
  assert.equal(detectEncoding(legacyEncoder('big5')(csv(traditional))), 'big5');
  assert.equal(detectEncoding(legacyEncoder('euc-kr')(csv(korean))), 'euc-kr');
  // A little text is enough for Chinese and Japanese.
  assert.equal(detectEncoding(legacyEncoder('gb18030')('名字,标签\n中文,好\n')), 'gb18030');
  assert.equal(detectEncoding(legacyEncoder('shift_jis')('text\nテスト\n')), 'shift_jis');
  // JSONL with CRLF, Chinese among ASCII keys.
  const rows = chinese.map((text, i) => JSON.stringify({ text, label: `类别${i}` })).join('\r\n') + '\r\n';
  assert.equal(detectEncoding(legacyEncoder('gb18030')(rows)), 'gb18030');
});

test('detection: Latin text with isolated high bytes is Windows-1252, even where a CJK decoder reads its bytes without error', () => {
  const latin = [
    'It’s great, I don’t regret it. I’m happy, we’re done, it’s fine. They’re late. You’re right. Can’t complain.',
    'Ça coûte très cher, c’est déçu… «Très» déjà vu, où est la crème brûlée? Élève, naïveté, cœur, œuvre',
    'Größe, Übergröße, Fußgängerübergänge — „Anführungszeichen“ und ‚einfache‘; GRÖßE',
    '¿Qué tal? ¡Señor! Año, niño, corazón, acción, pingüino — “comillas”',
    'São Paulo, coração, ações, não, mãe, pão; Smørrebrød, æble, Øresund, Ålborg',
    '•••• ™®©° ±²³ µ¶·¸¹ º»¼½¾ – — € …',
  ];
  for (const text of latin) assert.equal(detectEncoding(cp1252(`text,label\n"${text}",a\n`)), 'windows-1252', text);
  // "’s" is an ideograph in GBK and a kanji in Shift-JIS, but one standing alone between Latin letters is no CJK text.
  assert.equal(detectEncoding(cp1252('it’s\nI’m\nwe’re\nthey’ve\n'.repeat(50))), 'windows-1252');
});

test('detection looks at a bounded sample: the first lines that are not UTF-8, up to EVIDENCE_BYTES', () => {
  const line = legacyEncoder('gb18030')('中文的句子，很长很长。\n');
  const ascii = utf8('{"text": "plain"}\n'.repeat(1000));
  const chunks = [ascii, ...Array.from({ length: 20000 }, () => line)];
  let seen = 0;
  const counted = (function* () {
    for (const c of chunks) {
      seen++;
      yield c;
    }
  })();
  assert.equal(legacyEncodingOf(counted), 'gb18030');
  assert.ok(seen < 1 + (EVIDENCE_BYTES / line.length) + 2, `read ${seen} chunks`);
  const evidence = notUtf8Lines([ascii, line, ascii, line], 1000);
  assert.deepEqual([...evidence], [...line, ...line], 'only lines that are not UTF-8, each whole');
  assert.equal(notUtf8Lines(Array.from({ length: 100 }, () => line), 50).length <= 51, true);
  // No line that is not UTF-8: nothing to judge; the line the reader met is judged instead.
  assert.equal(legacyEncodingOf([ascii]), 'windows-1252');
  assert.equal(legacyEncodingOf([ascii], legacyEncoder('shift_jis')('日本語のテキストです')), 'shift_jis');
});

test('a Windows-1252 file reads back with ’ and €, and no control-chars finding (the fix would have deleted them)', () => {
  const bytes = fixture('reviews-cp1252.csv');
  const a = analyzeDataset('reviews-cp1252.csv', bytes);
  assert.equal(a.encoding, 'windows-1252');
  assert.equal(a.rows, 15);
  assert.equal(ofRule(a, 'control-chars').length, 0);
  assert.equal(ofRule(a, 'mojibake').length, 0);
  const [bad] = ofRule(a, 'invalid-utf8');
  assert.equal(bad.severity, 'warning');
  assert.match(bad.message, /byte 0x92 at line 2, column 4; 14 lines were read as Windows-1252$/);
  const texts = [...openReader('reviews-cp1252.csv', bytes).rows()].map((r) => r.text);
  assert.ok(texts.some((t) => t.includes('It’s the best kettle I’ve owned – boils')));
  assert.ok(texts.some((t) => t.includes('Paid €39.99 and it broke after two weeks…')));
  assert.ok(texts.some((t) => t.includes('“Works as advertised”')));
  assert.equal(decodeText(bytes).encoding, 'windows-1252');
});

test('a GB18030 CSV and JSONL are read as Chinese, and the message names GB18030', () => {
  const a = analyzeDataset('news-gb18030.csv', fixture('news-gb18030.csv'));
  assert.equal(a.encoding, 'gb18030');
  assert.deepEqual(Object.keys(a.labels).sort(), ['体育', '娱乐', '科技', '财经']);
  assert.match(ofRule(a, 'invalid-utf8')[0].message, /read as GB18030$/);
  assert.equal(ofRule(a, 'control-chars').length + ofRule(a, 'mojibake').length, 0);

  // JSONL: ASCII rows first (read as UTF-8 block by block), then Chinese ones, each line by the file's encoding.
  const rows = [
    ...Array.from({ length: 30 }, (_, i) => JSON.stringify({ text: `plain ascii row number ${i}`, label: 'en' })),
    ...chinese.map((text) => JSON.stringify({ text, label: '中文' })),
  ];
  const bytes = legacyEncoder('gb18030')(rows.join('\n') + '\n');
  const b = analyzeDataset('d.jsonl', bytes);
  assert.equal(b.encoding, 'gb18030');
  assert.deepEqual(b.labels, { en: 30, 中文: 3 });
  assert.match(ofRule(b, 'invalid-utf8')[0].message, /byte 0xC8 at line 31, column 10; 3 lines were read as GB18030$/);
  // The reader from a source (a big file read in chunks) reads the same, and a row read again too.
  const reader = jsonlReader(memorySource(bytes));
  const texts = [...reader.rows()].map((r) => r.text);
  assert.equal(texts[30], rows[30]);
  assert.equal(reader.row(31)?.text, rows[31]);
  assert.equal(reader.invalidUtf8?.encoding, 'gb18030');
  // Shards (every thread reads the file's encoding alike) give the single-pass result.
  const { config } = parseConfig({});
  const detection = detectDatasetFormat(openReader('d.jsonl', bytes).rows(), config);
  const shards = planJsonlShards(bytes, 3).map((s) => analyzeJsonlShard(memorySource(bytes), s, detection, config, {}));
  assert.deepEqual(mergeJsonlShards('d.jsonl', memorySource(bytes), detection, config, {}, shards), analyzeDataset('d.jsonl', bytes, config));
  // Rows written out (split, augment) keep their text.
  assert.equal(datasetSource('d.jsonl', reader, bytes).rowText(32), rows[32]);
});

test('a Shift-JIS file is read as Japanese', () => {
  const a = analyzeDataset('ja.csv', legacyEncoder('shift_jis')(csv(japanese)));
  assert.equal(a.encoding, 'shift_jis');
  assert.match(ofRule(a, 'invalid-utf8')[0].message, /read as Shift-JIS$/);
  const texts = [...openReader('ja.csv', legacyEncoder('shift_jis')(csv(japanese))).rows()].map((r) => r.text);
  assert.deepEqual(texts, japanese.map((t, i) => `${t},${['a', 'b'][i % 2]}`));
});

test('UTF-16 JSONL and CSV (with a byte order mark, or without one) are read, named, and not reported as bad UTF-8', () => {
  const a = analyzeDataset('utf16-bom.jsonl', fixture('utf16-bom.jsonl'));
  assert.equal(a.encoding, 'utf-16le');
  assert.equal(a.rows, 6);
  assert.deepEqual(a.labels, { positive: 3, negative: 3 });
  assert.equal(a.findings.length, 0);
  const text = csv(['The staff were lovely — we’ll be back', 'Breakfast cost €18; not worth it', '中文的评论也可以']);
  for (const [bytes, encoding] of [
    [Buffer.from('\uFEFF' + text, 'utf16le'), 'utf-16le'],
    [Buffer.from('\uFEFF' + text, 'utf16le').swap16(), 'utf-16be'],
    [Buffer.from(text, 'utf16le'), 'utf-16le'],
  ] as const) {
    const b = analyzeDataset('d.csv', new Uint8Array(bytes));
    assert.equal(b.encoding, encoding);
    assert.equal(b.rows, 3);
    assert.equal(ofRule(b, 'invalid-utf8').length, 0);
    assert.deepEqual([...openReader('d.csv', new Uint8Array(bytes)).rows()].map((r) => r.text), text.trimEnd().split('\n').slice(1));
    assert.equal(decodeText(new Uint8Array(bytes)).text, text);
  }
  // The editor's disk path (tuneset/willOpen) reads the file's lines alike.
  assert.deepEqual(decodeSourceLines(memorySource(fixture('utf16-bom.jsonl'))), new TextDecoder('utf-16le').decode(fixture('utf16-bom.jsonl')).split('\n'));
});

test("the editor's disk path reads a legacy file's lines in its encoding", () => {
  const bytes = fixture('reviews-cp1252.csv');
  const lines = decodeSourceLines(memorySource(bytes));
  assert.ok(lines[1].startsWith('"It’s the best kettle'));
  assert.equal(lines.join('\n'), decodeText(bytes).text);
});

test('a LineDecoder given no encoding reads Windows-1252, and one given a finder asks it once, with the first bad line', () => {
  const asked: Uint8Array[] = [];
  const decoder = new LineDecoder((line) => (asked.push(line), 'shift_jis'));
  const bytes = legacyEncoder('shift_jis')('ascii\n日本語\nテスト\n');
  assert.deepEqual([...splitLines(bytes, decoder)].map((l) => l.text), ['ascii', '日本語', 'テスト']);
  assert.equal(asked.length, 1);
  assert.deepEqual(decoder.invalid, { line: 2, column: 1, byte: 0x93, lines: 2, encoding: 'shift_jis' });
  assert.equal(new LineDecoder().decode(new Uint8Array([0x92]), 1), '’');
});

test('the scan for lines that are not UTF-8 stops after scanBytes, within one chunk too', () => {
  const ascii = utf8('{"text": "plain"}\n'.repeat(100));
  const line = cp1252('caf\u00e9\n');
  const file = new Uint8Array([...ascii, ...line]);
  assert.equal(notUtf8Lines([file], 1000, ascii.length).length, 0);
  assert.deepEqual([...notUtf8Lines([file], 1000, file.length)], [...line]);
  assert.equal(notUtf8Lines([ascii, line], 1000, ascii.length).length, 0);
});
