import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient, type PublishedDiagnostics } from '../lsp/lspClient';

/**
 * After edits, an open document's diagnostics are those a fresh open of the same text gets: same
 * ranges, codes, messages, links and related rows, and data that code actions resolve.
 */
const sample = readFileSync(join(__dirname, '..', '..', 'samples', 'reviews', 'train.jsonl'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'tuneset-edits-'));
const client = new LspClient({ debounceMs: 0, maxDiagnosticsPerFile: 20 });

before(() => client.initialize());
after(() => client.stop());

/** A diagnostic without its version stamp (the edited document is at a later version than a fresh one). */
function comparable(p: PublishedDiagnostics): unknown[] {
  return p.diagnostics.map((d) => {
    const data = d.data as { index: number; version: number } | undefined;
    return { ...d, data: data && { index: data.index } };
  });
}

type Edit = { start: { line: number; character: number }; end: { line: number; character: number }; text: string };

async function editedEqualsFresh(name: string, text: string, edits: Edit[]): Promise<void> {
  const edited = pathToFileURL(join(dir, 'edited', name)).href;
  const mirror = TextDocument.create(edited, 'jsonl', 1, text);
  client.open(edited, text);
  await client.diagnostics(edited);
  let version = 1;
  for (const e of edits) {
    const next = client.nextDiagnostics(edited);
    client.change(edited, e.start, e.end, e.text);
    TextDocument.update(mirror, [{ range: { start: e.start, end: e.end }, text: e.text }], ++version);
    await next;
  }
  const after = await client.diagnostics(edited);
  assert.equal((after.diagnostics.find((d) => d.data) as { data: { version: number } }).data.version, version);

  const fresh = pathToFileURL(join(dir, 'fresh', name)).href;
  client.open(fresh, mirror.getText());
  const expected = await client.diagnostics(fresh);
  const all = expected.diagnostics as { code?: string; codeDescription?: unknown; relatedInformation?: unknown[] }[];
  assert.ok(all.some((d) => d.code === 'more-findings') && all.some((d) => d.codeDescription) && all.some((d) => d.relatedInformation?.length), 'the comparison covers the cap, links and related rows');
  assert.deepEqual(
    comparable(after).map((d) => JSON.stringify(d).replaceAll(fresh, edited)),
    comparable(expected).map((d) => JSON.stringify(d).replaceAll(fresh, edited)),
  );
}

test('one-line edits in place: diagnostics equal a fresh open of the edited text', async () => {
  const lines = sample.split('\n');
  const edits: Edit[] = [];
  for (const line of [3, 10, 18, 40, 10]) {
    const at = { line, character: Math.min(5, lines[line].length) };
    edits.push({ start: at, end: at, text: 'x' }, { start: at, end: { line, character: at.character + 1 }, text: '' });
  }
  edits.push({ start: { line: 7, character: 0 }, end: { line: 7, character: 0 }, text: '  ' });
  edits.push({ start: { line: 12, character: 2 }, end: { line: 12, character: 8 }, text: '"label"' });
  await editedEqualsFresh('in-place.jsonl', sample, edits);
});

test('edits that add, remove and move lines: diagnostics equal a fresh open', async () => {
  const lines = sample.split('\n');
  await editedEqualsFresh('shifted.jsonl', sample, [
    { start: { line: 0, character: 0 }, end: { line: 0, character: 0 }, text: lines[1] + '\n' },
    { start: { line: 5, character: 0 }, end: { line: 7, character: 0 }, text: '' },
    { start: { line: 20, character: 3 }, end: { line: 22, character: 4 }, text: '\n{"text": "short", "label": "pos"}\n' },
    { start: { line: 30, character: 0 }, end: { line: 30, character: 0 }, text: '\n\n' },
  ]);
});

test('a document with CRLF line breaks: diagnostics equal a fresh open after edits', async () => {
  const crlf = sample.replace(/\n/g, '\r\n');
  await editedEqualsFresh('crlf.jsonl', crlf, [
    { start: { line: 2, character: 4 }, end: { line: 2, character: 4 }, text: 'y' },
    { start: { line: 9, character: 0 }, end: { line: 10, character: 0 }, text: '' },
    { start: { line: 14, character: 0 }, end: { line: 14, character: 0 }, text: '{"text": "a new row here", "label": "neg"}\r\n' },
  ]);
});
