import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  analyzeDataset, containerOfPath, describeForeignFormat, foreignFormatByMagic, foreignFormatByName, openReader, parseConfig, sniffContainer,
} from '../../server/src/engine';

const enc = (s: string) => new TextEncoder().encode(s);
const sniff = (s: string | Uint8Array) => sniffContainer(typeof s === 'string' ? enc(s) : s);

test('JSON Lines: the first non-blank lines are JSON objects', () => {
  assert.equal(sniff('{"text": "a", "label": "x"}\n{"text": "b", "label": "y"}\n'), 'jsonl');
  assert.equal(sniff('\n\n{"text": "a"}\n\n{"text": "b"}'), 'jsonl', 'blank lines around rows, no last newline');
  assert.equal(sniff('\uFEFF{"text": "a"}\r\n{"text": "b"}\r\n'), 'jsonl', 'a byte order mark and CRLF');
  assert.equal(sniff('{"text": "a"}\n'), 'jsonl', 'one row');
  assert.equal(sniff('{"text": "a"}\nnot json\n'), undefined, 'a line that is not JSON');
  assert.equal(sniff('[1]\n["two"]\n'), undefined, 'arrays are not rows');
  assert.equal(sniff('{\n  "name": "config"\n}\n'), undefined, 'one pretty-printed object is not JSON Lines');
});

test('a head cut inside its last row still sniffs by the whole rows before it', () => {
  const rows = Array.from({ length: 400 }, (_, i) => JSON.stringify({ text: `row number ${i}, with some words`, label: i % 2 ? 'a' : 'b' })).join('\n');
  const head = enc(rows).subarray(0, 1000);
  assert.equal(sniffContainer(head), 'jsonl');
  const tsv = 'label\ttext\n' + Array.from({ length: 400 }, (_, i) => `ham\tmessage ${i}, "quoted", with commas`).join('\n');
  assert.equal(sniffContainer(enc(tsv).subarray(0, 500)), 'tsv');
});

test('a JSON array of objects', () => {
  assert.equal(sniff('[\n  {"instruction": "a", "output": "b"}\n]\n'), 'json');
});

test('TSV and CSV: the first lines hold the same number (one or more) of tabs or commas', () => {
  // The SMS Spam Collection as UCI ships it: no extension, no header, label TAB text.
  assert.equal(sniff('ham\tGo until jurong point, crazy.. Available only\nspam\tFree entry in 2 a wkly comp to win\nham\tOk lar... "Joking" wif u oni\n'), 'tsv');
  assert.equal(sniff('text,label\n"Hello, world",pos\n"A ""quoted"" word, two",neg\n'), 'csv', 'commas inside quotes do not count');
  assert.equal(sniff('text,label\n"a text\nover two lines, with a comma",pos\nplain,neg\n'), 'csv', 'a quoted field may hold line breaks');
  assert.equal(sniff('sepal,petal,species\n5.1,3.5,setosa'), 'csv', 'no last newline');
  assert.equal(sniff('a,b\n'), undefined, 'a header alone is no table');
  assert.equal(sniff('one, two\nthree\n'), undefined, 'different counts');
  assert.equal(sniff('a,b\n\nc,d\n'), undefined, 'a blank line breaks the table');
});

test('prose and binary data are not datasets', () => {
  assert.equal(sniff('# Data\n\nThis folder holds the data, as downloaded.\nSee the paper, section 2, for details.\n'), undefined);
  assert.equal(sniff(''), undefined);
  assert.equal(sniff(new Uint8Array([0, 1, 2, 3, 0, 0, 10, 0])), undefined);
  assert.equal(sniff(gzipSync(enc('{"text": "a"}\n'))), undefined, 'a gzip of JSON Lines is an archive');
});

test('UTF-16 with a byte order mark is sniffed as its text', () => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"text": "a"}\n{"text": "b"}\n', 'utf16le')]);
  assert.equal(sniffContainer(le), 'jsonl');
});

test('archives and binary formats are named by their first bytes', () => {
  const at = (bytes: number[], offset = 0) => {
    const b = new Uint8Array(600);
    b.set(bytes, offset);
    return foreignFormatByMagic(b)?.name;
  };
  assert.equal(foreignFormatByMagic(gzipSync(enc('x')))?.name, 'a gzip archive');
  assert.equal(at([0x50, 0x4b, 0x03, 0x04]), 'a zip archive');
  assert.equal(at([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59]), 'a bzip2 archive');
  assert.equal(foreignFormatByMagic(enc('BZh,label\nfoo,bar\n')), undefined, '"BZh" starting a line of text is not bzip2');
  assert.equal(at([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), 'an xz archive');
  assert.equal(at([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), 'a 7-Zip archive');
  assert.equal(at([0x75, 0x73, 0x74, 0x61, 0x72], 257), 'a tar archive');
  assert.deepEqual(foreignFormatByMagic(enc('PAR1\u0015\u0004')), { name: 'Parquet', kind: 'planned' });
  assert.equal(foreignFormatByMagic(enc('{"text": "a"}\n')), undefined);
});

test('names of dataset-like formats Tuneset does not read', () => {
  assert.equal(foreignFormatByName('data/iris.ARFF')?.name, 'ARFF');
  assert.equal(foreignFormatByName('imdb.tar.gz')?.name, 'a gzip-compressed tar archive', '.tar.gz before .gz');
  assert.equal(foreignFormatByName('train.jsonl.gz')?.name, 'a gzip archive');
  assert.equal(foreignFormatByName('train-00000-of-00001.parquet')?.name, 'Parquet');
  assert.equal(foreignFormatByName('README.md'), undefined);
  assert.equal(foreignFormatByName('train.jsonl'), undefined);
  assert.equal(describeForeignFormat({ name: 'ARFF', kind: 'format' }), 'ARFF is not a supported format');
  assert.equal(describeForeignFormat({ name: 'a gzip archive', kind: 'archive' }), 'a gzip archive: extract it first');
  assert.match(describeForeignFormat({ name: 'Parquet', kind: 'planned' }), /^Parquet is not supported yet/);
});

test('openReader and analyzeDataset read a sniffed container whatever the name says', () => {
  assert.equal(containerOfPath('d.TSV'), 'tsv');
  assert.equal(containerOfPath('SMSSpamCollection'), undefined);
  const tsv = enc('label\ttext\nham\tGo until jurong point\nspam\tFree entry in 2 a wkly comp\n');
  assert.equal(openReader('SMSSpamCollection', tsv, 'tsv').container, 'csv');
  assert.equal(openReader('SMSSpamCollection', tsv).container, 'jsonl', 'without a container, other names are read as JSON Lines');
  const { config } = parseConfig({});
  const analysis = analyzeDataset('SMSSpamCollection', tsv, config, { container: 'tsv' });
  assert.deepEqual([analysis.container, analysis.rows, analysis.labels], ['csv', 2, { ham: 1, spam: 1 }]);
  assert.equal(analysis.summary['invalid-json'], undefined);
});
