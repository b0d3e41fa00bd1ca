import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeDataset, clusterRows, DEFAULT_CONFIG, findingsByRow, queryRowTable, readRowTable, rowActionEdits, rowScore, rowTokens } from '../../server/src/engine';
import { DatasetEditRequest } from '../../server/src/protocol';
import { applyLspEdits, applyTextEdits } from './helpers';
import { DatasetRowsRequest, type DatasetRowsQuery } from '../../server/src/protocol';
import { LspClient } from '../lsp/lspClient';
import { checkPageMessage, datasetViewPageMessageSchema } from '../../client/src/panels/messages';

/**
 * The dataset view's rows: the engine's table (texts, labels, other fields, findings per row, the
 * queries) and the language server's paged request over an open document and a file on disk.
 */
const dir = mkdtempSync(join(tmpdir(), 'tuneset-view-'));
const uriOf = (file: string) => pathToFileURL(file).href;

/** Six rows: a duplicate, an N/A placeholder, a row with an e-mail, an extra field on every row. */
const SMALL = [
  { text: 'The battery lasts two full days.', label: 'positive', id: 1 },
  { text: 'The strap broke on the second day.', label: 'negative', id: 2 },
  { text: 'The battery lasts two full days.', label: 'positive', id: 3 },
  { text: 'N/A', label: 'neutral', id: 4 },
  { text: 'Write to me at jane.doe@example.com about the refund.', label: 'negative', id: 5 },
  { text: 'Screen is bright and the sound is clear enough for calls.', label: 'positive', id: 6 },
].map((r) => JSON.stringify(r)).join('\n') + '\n';

test('the table: each row\'s text, label, other fields and lines; findings on their rows, file-level ones on none', () => {
  const bytes = new TextEncoder().encode(SMALL);
  const analysis = analyzeDataset('small.jsonl', bytes, DEFAULT_CONFIG);
  const table = readRowTable('small.jsonl', bytes, analysis);
  assert.equal(table.rows.length, 6);
  assert.deepEqual(table.rows[3], { line: 4, endLine: 4, text: 'N/A', label: 'neutral', length: 3, other: { id: '4' } });
  assert.deepEqual(table.otherFields, ['id']);
  assert.deepEqual(table.labels, [{ name: 'positive', rows: 3 }, { name: 'negative', rows: 2 }, { name: 'neutral', rows: 1 }]);
  const byRow = findingsByRow(table, analysis.findings);
  assert.deepEqual(byRow.get(2)?.map((f) => f.rule), ['exact-duplicate']);
  assert.ok(byRow.get(4)?.some((f) => f.rule === 'pii-email'));
  assert.deepEqual(byRow.get(3)?.map((f) => f.rule), ['placeholder']);
  const imbalance = { rule: 'label-imbalance', severity: 'warning' as const, message: 'Labels are imbalanced', line: 1, column: 1, endLine: 1, endColumn: 2 };
  assert.equal(findingsByRow(table, [imbalance, ...analysis.findings]).get(0), undefined, 'a finding about the whole file (on line 1) belongs to no row');

  const q = (query: Parameters<typeof queryRowTable>[2]) => queryRowTable(table, byRow, query);
  assert.deepEqual(q({}), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(q({ label: 'negative' }), [1, 4]);
  assert.deepEqual(q({ rule: 'exact-duplicate' }), [2]);
  assert.deepEqual(q({ text: 'BATTERY' }), [0, 2], 'free text ignores case');
  assert.deepEqual(q({ text: '^the (battery|strap)', regex: true }), [0, 1, 2]);
  assert.deepEqual(q({ text: '5' }), [4], 'other fields are searched too');
  assert.deepEqual(q({ sort: 'length-asc' }).slice(0, 2), [3, 0]);
  assert.deepEqual(q({ sort: 'length-desc', label: 'positive' }), [5, 0, 2], 'equal lengths stay in file order');
  // By an other field's value (as text: "1" < "2" …), rows without the field last.
  const tagged = new TextEncoder().encode(['b', undefined, 'a', 'c'].map((tag, i) => JSON.stringify({ text: `row ${i}`, label: 'x', ...(tag ? { tag } : {}) })).join('\n') + '\n');
  const withTag = readRowTable('t.jsonl', tagged, analyzeDataset('t.jsonl', tagged, DEFAULT_CONFIG));
  assert.deepEqual(queryRowTable(withTag, new Map(), { sort: 'field', sortField: 'tag' }), [2, 0, 3, 1]);
  assert.throws(() => q({ text: '(unclosed', regex: true }), /not a regular expression.*turn off "regex"/);
});

test('the table: a conversation reads as role: content lines; a broken row shows its source; a multi-line CSV record spans its lines', () => {
  const chat = [
    JSON.stringify({ messages: [{ role: 'user', content: 'Hi there' }, { role: 'assistant', content: 'Hello! How can I help?' }] }),
    '{"messages": [broken',
  ].join('\n') + '\n';
  const bytes = new TextEncoder().encode(chat);
  const analysis = analyzeDataset('chat.jsonl', bytes, DEFAULT_CONFIG);
  const table = readRowTable('chat.jsonl', bytes, analysis);
  assert.equal(table.rows[0].text, 'user: Hi there\nassistant: Hello! How can I help?');
  assert.deepEqual([table.rows[1].broken, table.rows[1].text], [true, '{"messages": [broken']);
  assert.ok(findingsByRow(table, analysis.findings).get(1)?.some((f) => f.rule === 'invalid-json'));

  const csv = new TextEncoder().encode('text,label\n"first line\nsecond line of the same review",positive\nA short and plain second review here,negative\n');
  const csvAnalysis = analyzeDataset('r.csv', csv, DEFAULT_CONFIG);
  const csvTable = readRowTable('r.csv', csv, csvAnalysis);
  assert.deepEqual(csvTable.rows.map((r) => [r.line, r.endLine, r.label]), [[2, 3, 'positive'], [4, 4, 'negative']]);
});

test('the table: severity and near-duplicate cluster filters; sort by label and by worst findings; a conversation\'s turns and tokens', () => {
  const text = [
    { text: 'The battery lasts two full days on a single charge and the screen stays bright.', label: 'positive' },
    { text: 'The strap broke on the second day.', label: 'negative' },
    { text: 'The battery lasts two full days on a single charge and the screen stays bright!', label: 'positive' },
    { text: 'N/A', label: 'neutral' },
    { text: 'Write to me at jane.doe@example.com about the refund.', label: 'negative' },
    { text: 'the battery lasts two full days on a single charge and the screen stays bright', label: 'positive' },
  ].map((r) => JSON.stringify(r)).join('\n') + '\n';
  const bytes = new TextEncoder().encode(text);
  const analysis = analyzeDataset('near.jsonl', bytes, DEFAULT_CONFIG);
  const table = readRowTable('near.jsonl', bytes, analysis);
  const byRow = findingsByRow(table, analysis.findings);
  const clusters = clusterRows(table, byRow);
  assert.deepEqual([...clusters], [[1, [0, 2, 5]]], 'the cluster holds its first row, which has no finding of its own');
  const q = (query: Parameters<typeof queryRowTable>[2]) => queryRowTable(table, byRow, query, clusters);
  assert.deepEqual(q({ cluster: 1 }), [0, 2, 5]);
  assert.deepEqual(q({ cluster: 7 }), [], 'a cluster the file does not have selects nothing');
  const worst = (i: number) => Math.max(...(byRow.get(i) ?? []).map((f) => ({ error: 3, warning: 2, info: 1, hint: 0 })[f.severity]));
  const warned = q({ severity: 'warning' });
  assert.ok(warned.length > 0 && warned.every((i) => worst(i) >= 2));
  assert.deepEqual(q({ severity: 'hint' }), [...byRow.keys()].sort((a, b) => a - b), 'any finding: the rows that have one');
  assert.deepEqual(q({ sort: 'label' }).map((i) => table.rows[i].label), ['negative', 'negative', 'neutral', 'positive', 'positive', 'positive']);
  const ranked = q({ sort: 'findings' }).map(worst);
  assert.deepEqual(ranked, [...ranked].sort((a, b) => b - a), 'worst findings first');
  const scores = q({ sort: 'score' }).map((i) => rowScore(byRow.get(i)));
  assert.deepEqual(scores, [...scores].sort((a, b) => a - b), 'lowest score first');
  assert.equal(rowScore(byRow.get(0)), 100, 'the first of a cluster has no finding of its own');
  assert.ok(scores[0] < 100 && scores.at(-1) === 100);
  assert.deepEqual(q({ sort: 'text' }).map((i) => table.rows[i].text.slice(0, 12)), ['N/A', 'The battery ', 'The battery ', 'The strap br', 'Write to me ', 'the battery '], 'by text, code points (upper case first)');

  const chat = new TextEncoder().encode(JSON.stringify({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi there' }, { role: 'assistant', content: 'Hello!' }] }) + '\n');
  const chatTable = readRowTable('chat.jsonl', chat, analyzeDataset('chat.jsonl', chat, DEFAULT_CONFIG));
  const row = chatTable.rows[0];
  assert.deepEqual(row.parts?.map((p) => [p.name, row.text.slice(p.start, p.end)]), [['system', 'Be brief.'], ['user', 'Hi there'], ['assistant', 'Hello!']]);
  assert.ok(rowTokens(row).tokens >= 6 && rowTokens(row).tokens < 20, `${rowTokens(row).tokens} tokens`);
  assert.equal(table.rows[0].parts, undefined, 'a one-text row has no parts');
});

test('row actions: delete, relabel and redact the rows chosen, as edits that leave a file Tuneset reads as intended (JSONL and CSV)', () => {
  const bytes = new TextEncoder().encode(SMALL);
  const del = rowActionEdits('small.jsonl', bytes, DEFAULT_CONFIG, { kind: 'delete' }, [3, 4]);
  assert.deepEqual([del.rows, del.problems], [2, []]);
  const deleted = applyTextEdits(SMALL, del.edits);
  assert.deepEqual(deleted.split('\n').filter(Boolean).map((l) => JSON.parse(l).id), [1, 2, 5, 6]);
  assert.equal(analyzeDataset('small.jsonl', new TextEncoder().encode(deleted), DEFAULT_CONFIG).findings.filter((f) => f.rule === 'exact-duplicate').length, 0);

  const relabel = rowActionEdits('small.jsonl', bytes, DEFAULT_CONFIG, { kind: 'relabel', label: 'mixed' }, [1, 2]);
  const relabelled = applyTextEdits(SMALL, relabel.edits).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.deepEqual(relabelled.map((r) => r.label), ['mixed', 'mixed', 'positive', 'neutral', 'negative', 'positive']);
  assert.deepEqual(relabelled.map((r) => r.id), [1, 2, 3, 4, 5, 6], 'the other fields stay');

  const redact = rowActionEdits('small.jsonl', bytes, DEFAULT_CONFIG, { kind: 'redact' }, [1, 5]);
  assert.equal(redact.rows, 1, 'only the row with personal data changes');
  const redacted = applyTextEdits(SMALL, redact.edits);
  assert.equal(JSON.parse(redacted.split('\n')[4]).text, 'Write to me at [EMAIL] about the refund.');
  assert.ok(!analyzeDataset('small.jsonl', new TextEncoder().encode(redacted), DEFAULT_CONFIG).findings.some((f) => f.rule.startsWith('pii-')));

  const csv = 'text,label\n"Mail me, please: jane.doe@example.com",negative\n"first line\nsecond line",positive\nplain text here,neutral\n';
  const csvBytes = new TextEncoder().encode(csv);
  const csvRedacted = applyTextEdits(csv, rowActionEdits('r.csv', csvBytes, DEFAULT_CONFIG, { kind: 'redact' }, [2]).edits);
  assert.equal(csvRedacted.split('\n')[1], '"Mail me, please: [EMAIL]",negative', 'the quoted CSV field stays quoted');
  const csvDeleted = applyTextEdits(csv, rowActionEdits('r.csv', csvBytes, DEFAULT_CONFIG, { kind: 'delete' }, [3]).edits);
  assert.equal(csvDeleted, 'text,label\n"Mail me, please: jane.doe@example.com",negative\nplain text here,neutral\n', 'a record of two lines goes whole');

  const missing = rowActionEdits('small.jsonl', bytes, DEFAULT_CONFIG, { kind: 'delete' }, [99]);
  assert.deepEqual([missing.edits, missing.problems], [[], ['small.jsonl:99: no row starts on this line']]);
  const array = rowActionEdits('a.json', new TextEncoder().encode('[{"text": "a b c", "label": "x"}]'), DEFAULT_CONFIG, { kind: 'delete' }, [1]);
  assert.match(array.problems[0], /JSON array are not deleted/);
  assert.deepEqual(rowActionEdits('small.jsonl', bytes, DEFAULT_CONFIG, { kind: 'relabel', label: '  ' }, [1]).problems, ['type the label to give the rows']);
});

test('row actions: redact on a row with a duplicate key changes the value JSON reads (the last), not the first', () => {
  const text = '{"text": "fine", "label": "a", "text": "mail jane.doe@example.com now"}\n';
  const { edits, rows } = rowActionEdits('dup.jsonl', new TextEncoder().encode(text), DEFAULT_CONFIG, { kind: 'redact' }, [1]);
  assert.equal(rows, 1);
  const after = applyTextEdits(text, edits);
  assert.doesNotMatch(JSON.parse(after.trim()).text, /jane\.doe@example\.com/);
  assert.match(after, /"text": "fine"/, 'the first, unread value is left as it was');
});

test('the view page\'s messages are checked before the host asks the server anything', () => {
  const ok = (m: unknown) => checkPageMessage(datasetViewPageMessageSchema, m).ok;
  assert.ok(ok({ type: 'ready' }));
  assert.ok(ok({ type: 'rows', seq: 3, query: { rule: 'pii-email', text: 'a(b', regex: true, sort: 'length-desc' }, offset: 200, limit: 200 }));
  assert.ok(ok({ type: 'reveal', line: 48, endLine: 48 }));
  assert.ok(!ok({ type: 'reveal', line: 0, endLine: 1 }), 'lines are 1-based');
  assert.ok(!ok({ type: 'rows', seq: 1, query: { sort: 'random' }, offset: 0, limit: 10 }), 'an order the server does not know');
  assert.ok(ok({ type: 'rows', seq: 1, query: { sort: 'score' }, offset: 0, limit: 10 }) && ok({ type: 'rows', seq: 1, query: { sort: 'text' }, offset: 0, limit: 10 }));
  assert.ok(ok({ type: 'rows', seq: 1, query: { sort: 'field', sortField: 'source' }, offset: 0, limit: 10 }));
  assert.ok(!ok({ type: 'rows', seq: 1, query: {}, offset: -5, limit: 10 }));
  assert.ok(!ok({ type: 'rows', seq: 1, query: { text: 'x'.repeat(5000) }, offset: 0, limit: 10 }), 'a search text is kept small');
  assert.ok(ok({ type: 'edit', action: { kind: 'relabel', label: 'positive' }, query: { severity: 'warning', cluster: 2, sort: 'findings' }, matched: 4, version: 3 }));
  assert.ok(ok({ type: 'edit', action: { kind: 'delete' }, query: {}, matched: 65, version: -1, lines: [4] }));
  assert.ok(!ok({ type: 'edit', action: { kind: 'delete' }, query: {}, lines: [4] }), 'the version and count the view showed');
  assert.ok(!ok({ type: 'edit', action: { kind: 'relabel', label: '' }, query: {}, matched: 1, version: 1 }), 'a label to give');
  assert.ok(!ok({ type: 'edit', action: { kind: 'drop-table' }, query: {}, matched: 1, version: 1 }), 'an action the view does not have');
});

describeServer();

function describeServer(): void {
  const client = new LspClient({ debounceMs: 0 });
  before(async () => {
    await client.initialize();
    await client.ready;
  });
  after(() => client.stop());

  const rows = (uri: string, query: DatasetRowsQuery, offset = 0, limit = 50) => client.send(DatasetRowsRequest.type, { uri, query, offset, limit });

  test('server: pages of a big file on disk, filtered and sorted, never more than asked; facets of the whole file', async () => {
    const file = join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(JSON.stringify({ text: `Review number ${i} says the product is ${i % 7 === 0 ? 'great value' : 'fine'} ${'x'.repeat(i % 50)}`, label: ['pos', 'neg', 'mid'][i % 3] }));
    writeFileSync(file, lines.join('\n') + '\n');
    const first = await rows(uriOf(file), {}, 0, 100);
    assert.ok(first && !('problems' in first));
    assert.equal(first.total, 5000);
    assert.equal(first.matched, 5000);
    assert.equal(first.rows.length, 100);
    assert.deepEqual(first.rows.slice(0, 2).map((r) => [r.index, r.line, r.label]), [[0, 1, 'pos'], [1, 2, 'neg']]);
    assert.deepEqual(first.labels.map((l) => l.name).sort(), ['mid', 'neg', 'pos']);

    const later = await rows(uriOf(file), {}, 4990, 100);
    assert.ok(later && !('problems' in later));
    assert.deepEqual(later.rows.map((r) => r.line), [4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 5000], 'the last page holds what is left');

    const huge = await rows(uriOf(file), {}, 0, 100000);
    assert.ok(huge && !('problems' in huge));
    assert.equal(huge.rows.length, DatasetRowsRequest.MAX_LIMIT, 'one request never carries the whole file');

    const great = await rows(uriOf(file), { text: 'great value', label: 'neg' }, 0, 500);
    assert.ok(great && !('problems' in great));
    const expected = lines.map((l, i) => [l, i] as const).filter(([l, i]) => l.includes('great value') && i % 3 === 1).map(([, i]) => i);
    assert.deepEqual(great.rows.map((r) => r.index), expected);
    assert.equal(great.matched, expected.length);

    const longest = await rows(uriOf(file), { sort: 'length-desc' }, 0, 3);
    assert.ok(longest && !('problems' in longest));
    assert.ok(longest.rows[0].length >= longest.rows[1].length && longest.rows[1].length >= longest.rows[2].length);

    const bad = await rows(uriOf(file), { text: '[', regex: true });
    assert.ok(bad && 'problems' in bad && /regular expression/.test(bad.problems[0]));
  });

  test('server: an open document\'s rows follow its edits, with the findings of the analysis of that text, and a rule filter', async () => {
    const file = join(dir, 'open.jsonl');
    writeFileSync(file, SMALL);
    const uri = uriOf(file);
    client.open(uri, SMALL);
    await client.diagnostics(uri);
    const dup = await rows(uri, { rule: 'exact-duplicate' });
    assert.ok(dup && !('problems' in dup));
    assert.deepEqual(dup.rows.map((r) => [r.line, r.findings.map((f) => f.rule)]), [[3, ['exact-duplicate']]]);
    assert.equal(dup.rows[0].score, rowScore(dup.rows[0].findings), 'each row carries its score');
    assert.ok(dup.rows[0].score < 100);
    assert.ok(dup.rules.some((r) => r.rule === 'pii-email' && r.rows === 1));
    assert.ok(dup.version >= 0, 'read from the open document');

    // Line 3 (the duplicate) becomes a new review: no duplicate any more, and the new text is shown.
    client.change(uri, { line: 2, character: 0 }, { line: 3, character: 0 }, `${JSON.stringify({ text: 'Delivery was late but support answered quickly.', label: 'negative', id: 3 })}\n`);
    const after = await rows(uri, { rule: 'exact-duplicate' });
    assert.ok(after && !('problems' in after));
    assert.equal(after.matched, 0);
    const all = await rows(uri, {});
    assert.ok(all && !('problems' in all));
    assert.equal(all.rows[2].text, 'Delivery was late but support answered quickly.');

    const none = await rows(uriOf(join(dir, 'notes.txt')), {});
    assert.equal(none, null, 'not a dataset the server checks');
  });

  test('server: an action on the rows a filter selects is computed on the document\'s text, and refused once the document moved on', async () => {
    const file = join(dir, 'edit.jsonl');
    writeFileSync(file, SMALL);
    const uri = uriOf(file);
    client.open(uri, SMALL);
    await client.diagnostics(uri);
    const version = (await rows(uri, {}))!;
    assert.ok(!('problems' in version));
    const del = await client.send(DatasetEditRequest.type, { uri, version: version.version, dirty: false, action: { kind: 'delete' }, query: { rule: 'exact-duplicate' }, matched: 1 });
    assert.ok('edits' in del);
    assert.deepEqual([del.rows, del.selected, del.problems], [1, 1, []]);
    assert.deepEqual(applyLspEdits(SMALL, del.edits).split('\n').filter(Boolean).map((l) => JSON.parse(l).id), [1, 2, 4, 5, 6]);

    const one = await client.send(DatasetEditRequest.type, { uri, version: version.version, dirty: false, action: { kind: 'redact' }, lines: [5] });
    assert.ok('edits' in one && one.rows === 1);
    assert.match(applyLspEdits(SMALL, one.edits), /\[EMAIL\]/);

    const stale = await client.send(DatasetEditRequest.type, { uri, version: version.version + 5, dirty: false, action: { kind: 'delete' }, lines: [1] });
    assert.ok('problems' in stale && !('edits' in stale) && /changed since its rows were shown/.test(stale.problems[0]));
    const recounted = await client.send(DatasetEditRequest.type, { uri, version: version.version, dirty: false, action: { kind: 'delete' }, query: { rule: 'exact-duplicate' }, matched: 2 });
    assert.ok('problems' in recounted && !('edits' in recounted), 'the query selects other rows than the view showed: refused');

    const onDisk = join(dir, 'closed.jsonl');
    writeFileSync(onDisk, SMALL);
    assert.ok(await rows(uriOf(onDisk), {}));
    const closed = await client.send(DatasetEditRequest.type, { uri: uriOf(onDisk), version: -1, dirty: false, action: { kind: 'relabel', label: 'neutral' }, lines: [1] });
    assert.ok('edits' in closed && closed.rows === 1, 'a file the server does not hold open is read from disk');
    const all = await client.send(DatasetEditRequest.type, { uri: uriOf(onDisk), version: -1, dirty: false, action: { kind: 'delete' }, query: {}, matched: 6 });
    assert.ok('edits' in all && all.rows === 6 && all.edits.length === 1, 'neighbouring rows go in one deletion');
    assert.equal(applyLspEdits(SMALL, all.edits), '');
    // The view showed the file from disk; the client opens it for the edit: the same text, so the edit goes on.
    client.open(uriOf(onDisk), SMALL);
    const opened = await client.send(DatasetEditRequest.type, { uri: uriOf(onDisk), version: -1, dirty: false, action: { kind: 'relabel', label: 'neutral' }, lines: [1] });
    assert.ok('edits' in opened && opened.rows === 1, `rows shown from disk, the same text opened since: ${JSON.stringify(opened)}`);
    const unsaved = await client.send(DatasetEditRequest.type, { uri: uriOf(onDisk), version: -1, dirty: true, action: { kind: 'delete' }, lines: [1] });
    assert.ok('problems' in unsaved && !('edits' in unsaved), 'unsaved changes the server has not seen are not guessed at');

    // A file saved with a byte order mark: the editor's document has no mark, and is still the same text.
    const marked = join(dir, 'marked.jsonl');
    writeFileSync(marked, `\uFEFF${SMALL}`);
    assert.ok(await rows(uriOf(marked), {}));
    client.open(uriOf(marked), SMALL);
    const withMark = await client.send(DatasetEditRequest.type, { uri: uriOf(marked), version: -1, dirty: false, action: { kind: 'relabel', label: 'neutral' }, lines: [1] });
    assert.ok('edits' in withMark && withMark.rows === 1, `a file with a byte order mark, opened for the edit: ${JSON.stringify(withMark)}`);
    assert.equal(JSON.parse(applyLspEdits(SMALL, withMark.edits).split('\n')[0]).label, 'neutral', 'the edit lands on the document as the editor holds it');
  });
}
