import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, type PublishedDiagnostics } from '../lsp/lspClient';

/**
 * tuneset/willOpen: the client announces a file before its didOpen (whose text is slow to cross for
 * a big file); the server checks the file as it is on disk meanwhile and publishes that, and the
 * document adopts the work when its text is the same.
 */
const sample = readFileSync(join(__dirname, '..', '..', 'samples', 'reviews', 'train.jsonl'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'tuneset-willopen-'));
const client = new LspClient({ debounceMs: 0, maxDiagnosticsPerFile: 40 });

before(async () => {
  await client.initialize();
  await client.ready;
});
after(() => client.stop());

/** The diagnostics with the document version they were made for taken out, and the URI made neutral. */
function comparable(p: PublishedDiagnostics, uri: string): string[] {
  return p.diagnostics.map((d) => {
    const data = d.data as { index: number; version: number } | undefined;
    return JSON.stringify({ ...d, data: data && { index: data.index } }).replaceAll(uri, 'URI');
  });
}

const versionOf = (p: PublishedDiagnostics) => (p.diagnostics.find((d) => d.data)!.data as { version: number }).version;

/** Diagnostics of a document opened without an announcement (its file is not on disk). */
async function plainOpen(name: string, text: string): Promise<PublishedDiagnostics> {
  const uri = pathToFileURL(join(dir, 'not-on-disk', name)).href;
  client.open(uri, text);
  return client.diagnostics(uri);
}

test('a file opened as it is on disk: its disk check is published first, and the document adopts it (edits go on from there)', async () => {
  const file = join(dir, 'same.jsonl');
  writeFileSync(file, sample);
  const uri = pathToFileURL(file).href;
  const fromDisk = client.nextDiagnostics(uri);
  client.open(uri, sample);
  const first = await fromDisk;
  assert.equal(versionOf(first), -1, 'published from the disk check, before the didOpen was read');
  const document = await client.diagnostics(uri, (p) => versionOf(p) === 1);
  const expected = await plainOpen('same.jsonl', sample);
  assert.ok(expected.diagnostics.length > 5);
  assert.deepEqual(comparable(first, uri), comparable(expected, expected.uri));
  assert.deepEqual(comparable(document, uri), comparable(expected, expected.uri));

  // The adopted model is the document's: an edit is checked as on any document.
  const line = sample.split('\n')[2];
  const next = client.nextDiagnostics(uri);
  client.change(uri, { line: 2, character: 0 }, { line: 2, character: line.length }, '{"text": broken');
  const edited = await next;
  const lines = sample.split('\n');
  lines[2] = '{"text": broken';
  const fresh = await plainOpen('edited.jsonl', lines.join('\n'));
  assert.ok(edited.diagnostics.some((d) => d.code === 'invalid-json' && d.range.start.line === 2));
  assert.deepEqual(comparable(edited, uri), comparable(fresh, fresh.uri));
});

test('a document whose text is not the file on disk gets its own diagnostics after the disk ones', async () => {
  const file = join(dir, 'changed.jsonl');
  writeFileSync(file, sample);
  const uri = pathToFileURL(file).href;
  // The editor holds unsaved changes: every row's label is another.
  const text = sample.replaceAll('"label": "positive"', '"label": "Positive"');
  assert.notEqual(text, sample);
  const fromDisk = client.nextDiagnostics(uri);
  client.open(uri, text);
  assert.equal(versionOf(await fromDisk), -1);
  const document = await client.diagnostics(uri, (p) => versionOf(p) === 1);
  const expected = await plainOpen('changed.jsonl', text);
  assert.deepEqual(comparable(document, uri), comparable(expected, expected.uri));
  assert.notDeepEqual(comparable(document, uri), comparable((await plainOpen('disk.jsonl', sample)), pathToFileURL(join(dir, 'not-on-disk', 'disk.jsonl')).href));
});
