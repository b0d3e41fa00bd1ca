import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeDataset, DEFAULT_CONFIG, findingsByRow, queryRowTable, readRowTable } from '../../server/src/engine';
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

test('the view page\'s messages are checked before the host asks the server anything', () => {
  const ok = (m: unknown) => checkPageMessage(datasetViewPageMessageSchema, m).ok;
  assert.ok(ok({ type: 'ready' }));
  assert.ok(ok({ type: 'rows', seq: 3, query: { rule: 'pii-email', text: 'a(b', regex: true, sort: 'length-desc' }, offset: 200, limit: 200 }));
  assert.ok(ok({ type: 'reveal', line: 48, endLine: 48 }));
  assert.ok(!ok({ type: 'reveal', line: 0, endLine: 1 }), 'lines are 1-based');
  assert.ok(!ok({ type: 'rows', seq: 1, query: { sort: 'random' }, offset: 0, limit: 10 }), 'an order the server does not know');
  assert.ok(!ok({ type: 'rows', seq: 1, query: {}, offset: -5, limit: 10 }));
  assert.ok(!ok({ type: 'rows', seq: 1, query: { text: 'x'.repeat(5000) }, offset: 0, limit: 10 }), 'a search text is kept small');
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
}
