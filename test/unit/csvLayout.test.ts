import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openReader } from '../../server/src/engine';
import { looksLikeHeader } from '../../server/src/engine/read/csvLayout';
import { analyze, ofRule } from './helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const readerOf = (name: string, s: string, options: { hasHeader?: boolean | 'auto'; columns?: string[] } = {}) => {
  const reader = openReader(name, enc(s), undefined, options);
  const rows = [...reader.rows()];
  return { reader, rows, values: rows.map((r) => r.value) };
};

// An SMS corpus as downloaded: no header, texts that open a quote and never close it.
const SMS = [
  'ham\t"Sorry, I\'ll call later',
  'ham\tEven my brother is not like to speak with me.',
  'spam\tFree entry in 2 a wkly comp to win FA Cup final tkts 21st May 2005.',
  'ham\t"Hey! How are you doing? Missed you',
  'ham\tOh k...i\'m watching here:)',
  'spam\tWINNER!! As a valued network customer you have been selected.',
  'ham\tIs that seriously how you spell his name?',
].join('\n') + '\n';

test('tsv: quotes that open a text are text when every line already has the header\'s field count', () => {
  const { reader, rows } = readerOf('sms.tsv', SMS);
  assert.equal(rows.length, 7, 'one row per line, none swallowed (the first is data, not a header)');
  assert.deepEqual(reader.columns, ['col1', 'col2']);
  assert.deepEqual(rows[0].value, { col1: 'ham', col2: '"Sorry, I\'ll call later' });
  assert.equal(rows[3].line, 4);
  assert.equal(reader.csv?.quoting, false);
  assert.deepEqual(reader.notes?.map((n) => n.kind), ['no-header', 'quotes-as-text']);
});

test('tsv: a header-less file gets its text and label guessed and said', () => {
  const a = analyze(SMS, 'sms.tsv');
  assert.equal(a.rows, 7);
  assert.equal(a.format, 'classification');
  assert.deepEqual(a.fields, { text: 'col2', label: 'col1' });
  assert.deepEqual(a.labels, { ham: 5, spam: 2 });
  assert.ok(a.notes?.some((n) => n.kind === 'guessed-fields' && n.message.includes('guessed text = col2, label = col1')));
});

test('tsv: quoted fields holding tabs and line breaks are quoting (only quoting makes the records whole)', () => {
  const text = 'text\tlabel\n"first line\nsecond line"\tpos\n"a\ttab inside"\tneg\nplain\tpos\n';
  const { reader, rows } = readerOf('q.tsv', text);
  assert.equal(reader.csv?.quoting, true);
  assert.deepEqual(rows.map((r) => r.value), [
    { text: 'first line\nsecond line', label: 'pos' },
    { text: 'a\ttab inside', label: 'neg' },
    { text: 'plain', label: 'pos' },
  ]);
});

test('tsv: a CSV writer\'s doubled quotes mark quoting; lone wrapped quotes stay text', () => {
  assert.deepEqual(readerOf('q.tsv', 'text\tlabel\n"He said ""hi"""\tpos\n"x"\tneg\n').values, [{ text: 'He said "hi"', label: 'pos' }, { text: 'x', label: 'neg' }]);
  assert.deepEqual(readerOf('q.tsv', 'text\tlabel\n"hi"\tpos\nplain\tneg\n').values, [{ text: '"hi"', label: 'pos' }, { text: 'plain', label: 'neg' }]);
});

test('tsv: when neither reading is clean it is read literally and tsv-quote gives both counts', () => {
  const text = 'text\tlabel\n"opens here\tpos\nbroken line without a tab\nfine\tneg\nextra\tfield\there\n';
  const a = analyze(text, 'x.tsv');
  const [note] = ofRule(a, 'tsv-quote');
  assert.ok(note, 'reported');
  assert.equal(note.line, 2);
  assert.match(note.message, /literally \(TSV has no quoting\) 4 rows, 2 with the wrong field count; with CSV quoting \d+ rows/);
  assert.equal(ofRule(a, 'csv-field-count').length, 2);
});

test('csv: a quote that swallows lines which each look like a record is csv-suspect-multiline', () => {
  const lines = ['text,label', 'great phone,pos', 'bad battery,neg', 'works fine,pos', 'screen cracked,neg', 'love it,pos', '"never closed,pos', 'ok i guess,neg', 'meh,neg', 'fine,pos"', 'last one,pos'];
  const a = analyze(lines.join('\n') + '\n', 'r.csv');
  const [f] = ofRule(a, 'csv-suspect-multiline');
  assert.ok(f, 'reported');
  assert.equal(f.line, 7);
  assert.match(f.message, /runs over 3 more lines .* read as 1 row, it may be 4/);
  assert.equal(a.rows, 7, 'still read as quoted (the user decides)');
});

test('csv: a real multi-line text (prose with commas) is not suspect', () => {
  const body = ['text,label', 'short,pos', 'also short,neg', 'fine,pos', 'good,pos', 'bad,neg', '"Dear team,\nthanks, John, for the help\nBest, Ann",pos', 'end,neg'];
  assert.equal(ofRule(analyze(body.join('\n') + '\n', 'r.csv'), 'csv-suspect-multiline').length, 0);
});

test('csv: text spilled into unnamed columns is reported with what would be lost, and the fix joins it back', () => {
  const text = 'v1,v2,,,\nham,Go until jurong point,,,\nham,Hello, how are you,,\nspam,a,b,c,d\n';
  const a = analyze(text, 'spam.csv', {}, true);
  const found = ofRule(a, 'csv-extra-fields');
  assert.deepEqual(found.map((f) => f.line), [3, 4]);
  assert.match(found[0].message, /"v2" runs on into 1 column without a header name: " how are you" is not part of "v2" as read/);
  assert.deepEqual(a.fields, { text: 'v2', label: 'v1' }, 'unnamed columns are not fields');
  const fix = found[0].fix!;
  assert.equal(fix.edits[0].newText, 'ham,"Hello, how are you",,,');
  assert.equal(found[1].fix!.edits[0].newText, 'spam,"a,b,c,d",,,');
  const fixed = 'v1,v2,,,\nham,Go until jurong point,,,\nham,"Hello, how are you",,,\nspam,"a,b,c,d",,,\n';
  const again = analyze(fixed, 'spam.csv');
  assert.equal(ofRule(again, 'csv-extra-fields').length, 0);
  assert.equal(ofRule(again, 'csv-field-count').length, 0);
});

test('header detection: names, repeated values, numbers and long texts', () => {
  assert.equal(looksLikeHeader(['text', 'label'], [['a long enough text here', 'pos']]), true);
  assert.equal(looksLikeHeader(['ham', 'Go until jurong point, crazy'], [['ham', 'Ok lar... Joking wif u oni...'], ['spam', 'Free entry in 2 a wkly comp to win']]), false);
  assert.equal(looksLikeHeader(['5.1', '3.5', 'Iris-setosa'], [['4.9', '3.0', 'Iris-setosa'], ['6.2', '2.9', 'Iris-virginica']]), false);
  assert.equal(looksLikeHeader(['sepal', 'width', 'species'], [['4.9', '3.0', 'Iris-setosa'], ['6.2', '2.9', 'Iris-virginica']]), true);
  assert.equal(looksLikeHeader(['v1', 'v2'], [['ham', 'Ok lar... Joking wif u oni, really now'], ['spam', 'Free entry in 2 a wkly comp to win FA Cup']]), true);
  assert.equal(looksLikeHeader(['only', 'row'], []), true, 'a lone record is a header');
});

test('settings: hasHeader and columns name what detection cannot know', () => {
  const text = 'hello there,pos\nhow are you,neg\n';
  assert.deepEqual(readerOf('a.csv', text, { hasHeader: false }).values, [{ col1: 'hello there', col2: 'pos' }, { col1: 'how are you', col2: 'neg' }]);
  assert.deepEqual(readerOf('a.csv', text, { hasHeader: false, columns: ['text', 'label'] }).values, [{ text: 'hello there', label: 'pos' }, { text: 'how are you', label: 'neg' }]);
  assert.deepEqual(readerOf('a.csv', 'a,b\nx,y\n', { hasHeader: true, columns: ['text', 'label'] }).values, [{ text: 'x', label: 'y' }]);
  const a = analyze(text, 'a.csv', { hasHeader: false, columns: ['text', 'label'] });
  assert.deepEqual([a.format, a.rows, a.notes], ['classification', 2, undefined]);
});

test('settings: a text or label field the file does not have is named, with the fields it has', () => {
  const a = analyze('{"text":"hello there","label":"a"}\n', 'a.jsonl', { labelField: 'nosuch' });
  const note = a.notes?.find((n) => n.kind === 'unknown-field');
  assert.ok(note);
  assert.match(note.message, /--label-field \(labelField\) names "nosuch", which is not a field of this file; its fields are text, label/);
});

// Texts without tab and line breaks, quotes welcome; a header the reader recognises.
const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', ',', 'é', '’', '1', "'") , maxLength: 12 });

test('property: rows written as TSV without quoting read back exactly', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 30 }), (rows) => {
      // A file whose every quote-starting field is CSV-wrapped with a doubled quote inside is a CSV
      // writer's (read with quoting, as such a writer meant); random rows are not.
      const csvStyle = rows.every(([t, l]) => [t, l].every((f) => !f.startsWith('"') || /^"([^"]|"")*"$/.test(f))) && rows.some(([t, l]) => [t, l].some((f) => f.startsWith('"') && f.slice(1, -1).includes('""')));
      fc.pre(!csvStyle);
      const text = 'text\tlabel\n' + rows.map(([t, l]) => `${t}\t${l}`).join('\n') + '\n';
      const read = readerOf('p.tsv', text).rows;
      assert.deepEqual(read.map((r) => r.value), rows.map(([t, l]) => ({ text: t, label: l })));
      assert.deepEqual(read.map((r) => r.line), rows.map((_, k) => k + 2));
    }),
    { numRuns: 300, seed: 15 },
  );
});

test('editor: how a file was read is a CodeLens above line 1 that opens the settings', async () => {
  const { codeLenses } = await import('../../server/src/lsp/codeLens');
  const lenses = codeLenses({ uri: 'file:///w/sms.tsv', analysis: analyze(SMS, 'sms.tsv'), version: 1 });
  const notes = lenses.filter((l) => l.command?.title.startsWith('Read as: '));
  assert.deepEqual(notes.map((l) => l.command!.title), ['Read as: no header row (col1, col2) · quotes as text · guessed text = col2, label = col1']);
  assert.equal(notes[0].command!.command, 'workbench.action.openSettings');
});
