import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeDataset, toBytes } from '../../server/src/engine';
import { toDiagnostics } from '../../server/src/lsp/convert';
import { readSettings } from '../../server/src/lsp/settings';
import { CancelChecksRequest, ChecksRunningNotification, FileSummaryRequest } from '../../server/src/protocol';
import { LspClient, type PublishedDiagnostics } from '../lsp/lspClient';

/**
 * Long checks do not hold the language server up: a big CSV is checked in a worker thread and a big
 * JSONL document's first analysis runs a slice at a time, so requests are answered while they run;
 * a newer version cancels the check of an older one (only the latest is ever published); and a long
 * check shows its progress, whose Cancel button stops it.
 */
const SETTINGS = { debounceMs: 0, maxDiagnosticsPerFile: 200 };
const client = new LspClient(SETTINGS);
// The documents are not written to disk: they are checked from their text, not announced by tuneset/willOpen.
const dir = mkdtempSync(join(tmpdir(), 'tuneset-long-'));
const uriOf = (name: string) => pathToFileURL(join(dir, name)).href;

const WORDS = ('the battery lasts two full days and charging is quick strap broke on second day would recommend it to a friend screen bright '
  + 'sound clear price fair delivery late box damaged colour matches photo fits well size runs small support answered fast refund took '
  + 'weeks manual unclear setup easy app crashes often works offline light weight sturdy build cheap plastic feels premium keys loud').split(' ');

/** Made-up reviews (every 40th a copy of an earlier one), the same every run. */
function reviews(n: number): { text: string; label: string }[] {
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const rows: { text: string; label: string }[] = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 18 + Math.floor(next() * 20) }, () => WORDS[Math.floor(next() * WORDS.length)]);
    rows.push({ text: i % 40 === 39 ? rows[i - 20].text : `Review ${i}: ${words.join(' ')}.`, label: ['positive', 'negative', 'neutral'][i % 3] });
  }
  return rows;
}

// Sizes whose check takes well over the moment after which it shows progress (~2 s for the CSV
// in its worker, ~1 s for the JSONL document's first analysis on the project's VM).
const CSV = 'text,label\n' + reviews(100000).map((r) => `"${r.text}",${r.label}`).join('\n') + '\n';
const JSONL = reviews(200000).map((r) => JSON.stringify(r)).join('\n') + '\n';

const small = uriOf('small.jsonl');
const smallText = readFileSync(join(__dirname, '..', '..', 'samples', 'reviews', 'train.jsonl'), 'utf8');

before(async () => {
  await client.initialize();
  await client.ready;
  client.open(small, smallText);
  await client.diagnostics(small);
});
after(() => client.stop());

/** The document version a publication was made for. */
function versionOf(p: PublishedDiagnostics): number | undefined {
  return (p.diagnostics.find((d) => d.data)?.data as { version: number } | undefined)?.version;
}

/** Everything published for a document so far. */
const publishedFor = (uri: string) => client.published.filter((p) => p.uri === uri);

/** The diagnostics a fresh analysis of the text gives (the server's model leaves near-duplicates of big JSONL files to a later pass). */
function expectedDiagnostics(uri: string, text: string, version: number): unknown[] {
  const path = decodeURIComponent(uri.replace(/^file:\/\//, ''));
  const nearDuplicates = !path.endsWith('.jsonl');
  const analysis = analyzeDataset(path, toBytes(text), readSettings(SETTINGS, {}).config, { fixes: true, nearDuplicates });
  return JSON.parse(JSON.stringify(toDiagnostics(uri, analysis, version, SETTINGS.maxDiagnosticsPerFile)));
}

/** Opens a big document and, once its check shows progress, asks about another one: the answers come before the big one's diagnostics. */
async function answeredWhileChecking(name: string, text: string, languageId: string): Promise<void> {
  const uri = uriOf(name);
  const events: string[] = [];
  client.open(uri, text, languageId);
  const checked = client.diagnostics(uri).then(() => events.push('diagnostics'));
  await client.progressBegun(`checking ${name}`);
  const hover = client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: small }, position: { line: 0, character: 2 } })
    .then((h) => (events.push('hover'), h));
  const summary = client.send(FileSummaryRequest.type, { uri: small }).then((s) => (events.push('summary'), s));
  // A request about the document being checked waits for its check, and gets its result.
  const own = client.send(FileSummaryRequest.type, { uri }).then((s) => (events.push('own summary'), s));
  const [hovered, summarized, ownSummary] = await Promise.all([hover, summary, own]);
  await checked;
  assert.deepEqual(events.slice(0, 2).sort(), ['hover', 'summary'], `answered while the check ran: ${events.join(', ')}`);
  assert.match(hovered!.contents.value, /row at line 1/);
  assert.equal(summarized!.rows, smallText.trimEnd().split('\n').length);
  assert.equal(ownSummary!.rows, text.trimEnd().split('\n').length - (languageId === 'csv' ? 1 : 0));
}

test('a big CSV is checked in a worker thread: a hover and a request sent while it runs are answered before its diagnostics', async () => {
  await answeredWhileChecking('answers.csv', CSV, 'csv');
  const uri = uriOf('answers.csv');
  assert.deepEqual(JSON.parse(JSON.stringify((await client.diagnostics(uri)).diagnostics)), expectedDiagnostics(uri, CSV, 1));
});

test('a big JSONL document\'s first analysis runs a slice at a time: a hover and a request sent while it runs are answered before its diagnostics', async () => {
  await answeredWhileChecking('answers.jsonl', JSONL, 'jsonl');
});

/** A one-character edit of line `line` (its first character after the opening quote or brace). */
function typeInto(uri: string, text: string, line: number, typed: string): string {
  client.change(uri, { line, character: 1 }, { line, character: 1 }, typed);
  const lines = text.split('\n');
  lines[line] = lines[line].slice(0, 1) + typed + lines[line].slice(1);
  return lines.join('\n');
}

/** Opens a big document and edits it twice while its check runs: only the last version's diagnostics are ever published. */
async function editedWhileChecking(name: string, text: string, languageId: string): Promise<void> {
  const uri = uriOf(name);
  client.open(uri, text, languageId);
  await client.progressBegun(`checking ${name}`);
  let edited = typeInto(uri, text, 2, 'x');
  edited = typeInto(uri, edited, 5, 'y');
  const final = await client.diagnostics(uri, (p) => versionOf(p) === 3);
  assert.deepEqual(publishedFor(uri).map(versionOf), [3], 'the checks of versions 1 and 2 were cancelled and never published');
  assert.deepEqual(JSON.parse(JSON.stringify(final.diagnostics)), expectedDiagnostics(uri, edited, 3));
}

test('a big CSV edited while its check runs: the newer version cancels the older one\'s check, and only its diagnostics are published', async () => {
  await editedWhileChecking('edited.csv', CSV, 'csv');
});

test('a big JSONL document edited during its first analysis: the analysis goes on with the edit, and only the latest version is published', async () => {
  await editedWhileChecking('edited.jsonl', JSONL, 'jsonl');
});

/** Opens a big document, cancels its check from the progress notification, then edits it: the edit's check publishes. */
async function cancelledFromProgress(name: string, text: string, languageId: string): Promise<void> {
  const uri = uriOf(name);
  client.open(uri, text, languageId);
  const token = await client.progressBegun(`checking ${name}`);
  const logged = client.notification<{ message: string }>('window/logMessage', (p) => p.message.includes(`check of ${name} v1 cancelled`));
  client.cancelProgress(token);
  await Promise.all([logged, client.progressEnded(token)]);
  // A round trip: anything the cancelled check would have published by now has come.
  await client.send(FileSummaryRequest.type, { uri: small });
  assert.deepEqual(publishedFor(uri), [], 'a cancelled check publishes nothing');
  const edited = typeInto(uri, text, 3, 'z');
  const d = await client.diagnostics(uri, (p) => versionOf(p) === 2);
  assert.deepEqual(JSON.parse(JSON.stringify(d.diagnostics)), expectedDiagnostics(uri, edited, 2));
}

test('Cancel on a big CSV\'s progress stops its check: nothing is published until the next edit is checked', async () => {
  await cancelledFromProgress('cancelled.csv', CSV, 'csv');
});

test('Cancel on a big JSONL document\'s progress stops its first analysis; the next edit\'s check goes on from where it stopped', async () => {
  await cancelledFromProgress('cancelled.jsonl', JSONL, 'jsonl');
});

/**
 * Opens a big document and stops its check with tuneset/cancelChecks (the client's "Cancel check"
 * item and palette command, as VS Code offers no Cancel button for a server's progress): the check
 * is listed as running while it runs, the request names it, and nothing is published.
 */
async function cancelledByCommand(name: string, text: string, languageId: string): Promise<void> {
  const uri = uriOf(name);
  const listed = client.notification<ChecksRunningNotification.Params>(ChecksRunningNotification.method, (p) => p.titles.includes(`checking ${name}`));
  client.open(uri, text, languageId);
  const token = await client.progressBegun(`checking ${name}`);
  await listed;
  const unlisted = client.notification<ChecksRunningNotification.Params>(ChecksRunningNotification.method, (p) => !p.titles.includes(`checking ${name}`));
  const result = await client.request<CancelChecksRequest.Result>(CancelChecksRequest.method, {});
  assert.deepEqual(result.cancelled, [`checking ${name}`]);
  await Promise.all([unlisted, client.progressEnded(token)]);
  await client.request(FileSummaryRequest.method, { uri: small });
  assert.deepEqual(publishedFor(uri), [], 'a cancelled check publishes nothing');
  const again = await client.request<CancelChecksRequest.Result>(CancelChecksRequest.method, {});
  assert.deepEqual(again.cancelled, [], 'nothing is left running');
}

test('"Cancel check" stops a big CSV\'s check in its worker, and says which check it stopped', async () => {
  await cancelledByCommand('stopped.csv', CSV, 'csv');
});

test('"Cancel check" stops a big JSONL document\'s first analysis', async () => {
  await cancelledByCommand('stopped.jsonl', JSONL, 'jsonl');
});
