import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../lsp/lspClient';

/** The language server through its protocol, with in-memory documents: no VS Code. */
const ws = mkdtempSync(join(tmpdir(), 'tuneset-lsp-'));
cpSync(join(__dirname, '..', '..', 'samples'), ws, { recursive: true });
const trainPath = join(ws, 'reviews', 'train.jsonl');
const train = pathToFileURL(trainPath).href;
const text = readFileSync(trainPath, 'utf8');
const client = new LspClient({ debounceMs: 0, maxDiagnosticsPerFile: 1000 });

before(() => client.initialize(ws));
after(() => client.stop());

const codes = (d: { diagnostics: { code?: string }[] }) => d.diagnostics.map((x) => x.code);

test('an opened document gets diagnostics with rule codes and 0-based ranges', async () => {
  client.open(train, text);
  const d = await client.diagnostics(train, (p) => codes(p).includes('exact-duplicate'));
  assert.ok(codes(d).includes('invalid-json') && codes(d).includes('label-variant') && codes(d).includes('secret'));
  const json = d.diagnostics.find((x) => x.code === 'invalid-json')!;
  assert.deepEqual(json.range.start, { line: 18, character: 60 });
});

test('an edit re-checks only what changed and the result follows the text', async () => {
  const before = await client.diagnostics(train);
  const dupsBefore = codes(before).filter((c) => c === 'exact-duplicate').length;
  const wait = client.nextDiagnostics(train);
  client.change(train, { line: 0, character: 0 }, { line: 0, character: 0 }, text.split('\n')[1] + '\n');
  const after = await wait;
  assert.equal(codes(after).filter((c) => c === 'exact-duplicate').length, dupsBefore + 1);
  const dup = after.diagnostics.find((x) => x.code === 'exact-duplicate' && x.range.start.line === 2)!;
  assert.ok(dup, 'the old line 2 moved to line 3 and now duplicates the new line 1');
});

test('code actions: the finding\'s fix, delete row, fix all', async () => {
  const d = await client.diagnostics(train);
  const ws1 = d.diagnostics.find((x) => x.code === 'whitespace' && /leading/.test(x.message))!;
  const actions = await client.request<{ title: string; edit?: { changes: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
    textDocument: { uri: train }, range: ws1.range, context: { diagnostics: [ws1] },
  });
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Trim whitespace') && titles.includes('Delete this row'), titles.join(' | '));
  assert.equal(actions.find((a) => a.title === 'Trim whitespace')!.edit!.changes[train][0].newText, '"Works well but the manual is confusing."');
  const fixAll = await client.request<{ title: string }[]>('textDocument/codeAction', { textDocument: { uri: train }, range: ws1.range, context: { diagnostics: [], only: ['source.fixAll.tuneset'] } });
  assert.equal(fixAll.length, 1);
});

test('CodeLens, hover and the custom requests', async () => {
  const lenses = await client.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: train } });
  assert.match(lenses[0].command.title, /^Tuneset: classification · 66 rows · 5 labels · \d+ findings · quality \d+\/100$/);
  const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: train }, position: { line: 2, character: 3 } });
  assert.match(hover.contents.value, /exact-duplicate/);
  const summary = await client.request<{ rows: number; errors: number; stats: { quality: { score: number } } }>('tuneset/fileSummary', { uri: train });
  assert.equal(summary.rows, 66);
  assert.ok(summary.errors > 0 && summary.stats.quality.score < 100);
  const dups = await client.request<{ rows: number }>('tuneset/removeDuplicates', { uri: train });
  assert.equal(dups.rows, 5);
  const report = await client.request<{ header: { rows: number } }>('tuneset/report', { uri: train });
  assert.equal(report.header.rows, 66);
});

test('the workspace check publishes diagnostics for closed files from disk', async () => {
  const chat = pathToFileURL(join(ws, 'support-chat.jsonl')).href;
  const result = await client.request<{ files: number }>('tuneset/checkWorkspace', {});
  assert.ok(result.files >= 5);
  const d = await client.diagnostics(chat, (p) => p.diagnostics.length > 0);
  assert.ok(codes(d).includes('chat-unknown-role'));
  const test = pathToFileURL(join(ws, 'reviews', 'test.jsonl')).href;
  const leak = await client.diagnostics(test, (p) => codes(p).includes('cross-file-leak'));
  const f = leak.diagnostics.find((x) => x.code === 'cross-file-leak')!;
  assert.equal(f.range.start.line, 4);
  assert.match(f.message, /train\.jsonl \(line 23\)/);
});

test('a big open file gets near-duplicates from the background pass after typing pauses', async () => {
  const uri = pathToFileURL(join(ws, 'big.jsonl')).href;
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
  const rows = Array.from({ length: 20500 }, (_, i) => JSON.stringify({ text: `row ${i} ${words[i % 12]} ${words[(i * 7) % 12]} ${words[(i * 5) % 11]} number ${i * 31}`, label: i % 3 ? 'a' : 'b' }));
  const base = 'the quick brown fox jumps over the lazy dog near the river bank on a sunny afternoon in june while seven children watch from the old stone bridge and their grandmother tells a long story about the winter of nineteen sixty three when snow covered the whole valley for weeks and nobody could reach the market town';
  rows[100] = JSON.stringify({ text: base, label: 'a' });
  rows[20000] = JSON.stringify({ text: base.replace('sunny', 'bright'), label: 'a' });
  client.open(uri, rows.join('\n') + '\n');
  const fast = await client.diagnostics(uri);
  assert.ok(!codes(fast).includes('near-duplicate'), 'the first, fast publication has no near-duplicates yet');
  const d = await client.diagnostics(uri, (p) => codes(p).includes('near-duplicate'), 60000);
  const near = d.diagnostics.find((x) => x.code === 'near-duplicate')!;
  assert.equal(near.range.start.line, 20000);
});
