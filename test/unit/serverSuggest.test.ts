import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkPageMessage, suggestPageMessageSchema } from '../../client/src/panels/messages';
import { SuggestApplyRequest, SuggestRowsRequest, type EditDto, type SuggestChoices } from '../../server/src/protocol';
import { LspClient } from '../lsp/lspClient';

/**
 * The "Suggest Rows to Label" panel's requests, answered by the real language server (dist/server.js
 * over stdio): the ranked rows of an open document (never its unreadable rows), and the edits that
 * write the chosen labels, applied here as the client applies them (one WorkspaceEdit) and read back.
 */
const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test/fixtures/labels/reviews-unlabelled.jsonl');
const UNLABELLED_LINES = [151, 152, 154, 155, 157, 159];
const UNREADABLE_LINES = [153, 156, 158];
const CHOICES: SuggestChoices = { n: 50, all: false, strategy: 'margin', density: false };

const client = new LspClient({ debounceMs: 0 });
const dir = mkdtempSync(join(tmpdir(), 'tuneset-suggest-lsp-'));

before(async () => {
  await client.initialize();
  await client.ready;
});
after(() => client.stop());

/** Applies LSP edits (0-based, each within one line) to a text, as a WorkspaceEdit would. */
function applyEdits(text: string, edits: readonly EditDto[]): string {
  const lines = text.split('\n');
  for (const e of [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)) {
    assert.equal(e.range.start.line, e.range.end.line);
    const l = lines[e.range.start.line];
    lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  }
  return lines.join('\n');
}

test('suggest rows: an open document\'s unlabelled rows ranked with the guess, never its unreadable rows; Apply edits give the right text', async () => {
  const file = join(dir, 'reviews.jsonl');
  const text = readFileSync(FIXTURE, 'utf8');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  client.open(uri, text);
  const ranked = await client.send(SuggestRowsRequest.type, { uri, choices: CHOICES });
  assert.ok(!('problems' in ranked), JSON.stringify(ranked));
  assert.equal(ranked.version, 1);
  assert.deepEqual(ranked.labels, ['negative', 'positive']);
  assert.deepEqual(ranked.rows.map((r) => r.line).sort((a, b) => a - b), UNLABELLED_LINES);
  for (let i = 1; i < ranked.rows.length; i++) assert.ok(ranked.rows[i - 1].score >= ranked.rows[i].score);
  const every = await client.send(SuggestRowsRequest.type, { uri, choices: { ...CHOICES, all: true, n: 1000, density: true } });
  assert.ok(!('problems' in every));
  assert.equal(every.rows.length, 156);
  for (const line of UNREADABLE_LINES) assert.ok(!every.rows.some((r) => r.line === line), `line ${line} is never listed`);

  // Accept two guesses, change one label, skip the rest: one list of edits, every other line untouched.
  const [first, second, third] = ranked.rows;
  const changed = third.guess === 'positive' ? 'negative' : 'positive';
  const applied = await client.send(SuggestApplyRequest.type, {
    uri, version: ranked.version, labels: [{ line: first.line, label: first.guess }, { line: second.line, label: second.guess }, { line: third.line, label: changed }],
  });
  assert.ok(!('problems' in applied && !('edits' in applied)), JSON.stringify(applied));
  assert.ok('edits' in applied);
  assert.deepEqual(applied.problems, []);
  assert.equal(applied.edits.length, 3);
  const after = applyEdits(text, applied.edits).split('\n');
  const before = text.split('\n');
  for (let i = 0; i < before.length; i++) {
    const line = i + 1;
    const wanted = line === first.line ? first.guess : line === second.line ? second.guess : line === third.line ? changed : undefined;
    if (wanted === undefined) assert.equal(after[i], before[i], `line ${line} is unchanged`);
    else assert.deepEqual(JSON.parse(after[i]), { ...JSON.parse(before[i]), label: wanted }, `line ${line}`);
  }
  // An unreadable row is named, not edited.
  const broken = await client.send(SuggestApplyRequest.type, { uri, version: ranked.version, labels: [{ line: 153, label: 'negative' }] });
  assert.ok('edits' in broken);
  assert.deepEqual(broken.edits, []);
  assert.match(broken.problems[0], /:153: the row cannot be read, so its label cannot be set$/);

  // Once the document changes, edits made for the old text are refused.
  client.change(uri, { line: 0, character: 0 }, { line: 0, character: 0 }, ' ');
  const stale = await client.send(SuggestApplyRequest.type, { uri, version: ranked.version, labels: [{ line: first.line, label: first.guess }] });
  assert.ok('problems' in stale && !('edits' in stale));
  assert.match(stale.problems[0], /changed since its rows were ranked: rank them again before applying/);
});

test('suggest rows: a file the model cannot rank says why; a file on disk is ranked as it is there', async () => {
  const plain = join(dir, 'plain.jsonl');
  writeFileSync(plain, '{"instruction": "say hi", "output": "hi"}\n');
  const refused = await client.send(SuggestRowsRequest.type, { uri: pathToFileURL(plain).href, choices: CHOICES });
  assert.deepEqual(refused, { problems: ['the label model cannot rank the rows: not a classification file (read as instruction)'] });
  const onDisk = join(dir, 'disk.jsonl');
  writeFileSync(onDisk, readFileSync(FIXTURE));
  const ranked = await client.send(SuggestRowsRequest.type, { uri: pathToFileURL(onDisk).href, choices: { ...CHOICES, n: 2, strategy: 'entropy' } });
  assert.ok(!('problems' in ranked));
  assert.equal(ranked.version, -1);
  assert.equal(ranked.rows.length, 2);
});

test('suggest page messages are checked before the host acts on them', () => {
  assert.ok(checkPageMessage(suggestPageMessageSchema, { type: 'rank', choices: CHOICES }).ok);
  assert.ok(checkPageMessage(suggestPageMessageSchema, { type: 'apply', labels: [{ line: 3, label: 'positive' }, { line: 4, label: ['a', 'b'] }] }).ok);
  const bad = checkPageMessage(suggestPageMessageSchema, { type: 'rank', choices: { ...CHOICES, strategy: 'random', n: 0 } });
  assert.ok(!bad.ok);
  assert.ok(!checkPageMessage(suggestPageMessageSchema, { type: 'apply', labels: [{ line: 0, label: 'x' }] }).ok);
  assert.ok(!checkPageMessage(suggestPageMessageSchema, { type: 'apply', labels: [{ line: 2, label: '' }] }).ok);
});
