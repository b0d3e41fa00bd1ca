import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AugmentPreviewRequest, FileSummaryRequest, SettingsProblemsNotification, SplitPreviewRequest } from '../../server/src/protocol';
import { LspClient } from '../lsp/lspClient';

/**
 * The language server started in this process (server.ts's startServer over in-memory streams), driven
 * through its protocol: the same handlers as the spawned server, with the source as it is now.
 */

const codes = (d: { diagnostics: { code?: string }[] }) => d.diagnostics.map((x) => x.code);

test('in process: an opened document gets its diagnostics', async () => {
  const client = await LspClient.inProcess({ debounceMs: 0 });
  try {
    await client.initialize();
    await client.ready;
    const uri = 'untitled:reviews.jsonl';
    const row = '{"text": "the battery lasts two full days", "label": "positive"}';
    client.open(uri, `${row}\n{"text": "strap broke on the second day", "label": "negative"}\n${row}\n{"text": oops}\n`);
    const d = await client.diagnostics(uri, (p) => codes(p).includes('exact-duplicate'));
    const dup = d.diagnostics.find((x) => x.code === 'exact-duplicate')!;
    assert.equal(dup.range.start.line, 2);
    assert.equal(d.diagnostics.find((x) => x.code === 'invalid-json')?.range.start.line, 3);
  } finally {
    await client.stop();
  }
});

/** A workspace whose tuneset.json renames the text and label fields; its rows also have the usual names, with other labels. */
function workspace(): { ws: string; file: string; uri: string; text: string } {
  const ws = mkdtempSync(join(tmpdir(), 'tuneset-lsp-settings-'));
  const rows = Array.from({ length: 12 }, (_, i) => JSON.stringify({ text: `short ${i}`, body: `a longer body of text number ${i} for the check`, label: i % 2 ? 'a' : 'b', tag: i < 9 ? 'pos' : 'neg' }));
  const text = rows.join('\n') + '\n';
  const file = join(ws, 'd.jsonl');
  writeFileSync(file, text);
  writeFileSync(join(ws, 'tuneset.json'), JSON.stringify({ textField: 'body', labelField: 'tag' }));
  return { ws, file, uri: pathToFileURL(file).href, text };
}

test('in process: the server reads a dataset with its workspace tuneset.json over the editor settings, and again when it changes', async () => {
  const { ws, uri, text } = workspace();
  // The editor's setting is the lower layer: tuneset.json's labelField wins, as it does for the CLI.
  const client = await LspClient.inProcess({ debounceMs: 0, labelField: 'label' });
  try {
    await client.initialize(ws);
    await client.ready;
    client.open(uri, text);
    await client.diagnostics(uri);
    const summary = await client.request<FileSummaryRequest.Result>(FileSummaryRequest.method, { uri });
    assert.deepEqual(summary?.fields, { text: 'body', label: 'tag' });
    assert.deepEqual(summary?.stats.labels.map((l) => l.name).sort(), ['neg', 'pos']);

    // A bad value in tuneset.json is shown, naming the file; the rest of it still applies.
    writeFileSync(join(ws, 'tuneset.json'), JSON.stringify({ textField: 'text', maxTokens: 'many' }));
    const problems = client.notification<SettingsProblemsNotification.Params>(SettingsProblemsNotification.method);
    const rechecked = client.nextDiagnostics(uri);
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(ws, 'tuneset.json')).href, type: 2 }] });
    assert.match((await problems).problems.join('\n'), /tuneset\.json: maxTokens: Expected number, received string/);
    await rechecked;
    const after = await client.request<FileSummaryRequest.Result>(FileSummaryRequest.method, { uri });
    assert.deepEqual(after?.fields, { text: 'text', label: 'label' }, 'the editor setting applies once tuneset.json leaves labelField open');
  } finally {
    await client.stop();
  }
});

test('in process: the split and augment panels read a dataset with its workspace tuneset.json, as check and the CLI do', async () => {
  const { ws, uri } = workspace();
  const client = await LspClient.inProcess({ debounceMs: 0 });
  try {
    await client.initialize(ws);
    await client.ready;
    const choices = { mode: 'ratios' as const, ratios: [50, 50], folds: 5, seed: 1, stratify: true, groupDuplicates: false, groupNearDuplicates: false, groupField: '', timeField: '', outputFolder: '' };
    const split = await client.send(SplitPreviewRequest.type, { uri, choices, folder: ws });
    assert.ok('preview' in split, JSON.stringify(split));
    // Stratified on tuneset.json's labelField ("tag": pos/neg), not on "label" (a/b).
    assert.deepEqual([...split.preview.labels].sort(), ['neg', 'pos']);
    const augment = await client.send(AugmentPreviewRequest.type, {
      uri, choices: { operations: ['rs'], alpha: 0.2, n: 1, balance: 'none', target: 0, seed: 7, provenanceField: 'augmented_from' },
    });
    assert.ok('preview' in augment, JSON.stringify(augment));
    assert.deepEqual(Object.keys(augment.preview.before).sort(), ['neg', 'pos']);
    // The augmented texts are "body"'s, the text field tuneset.json names.
    assert.ok(augment.preview.samples.length > 0 && augment.preview.samples.every((s) => s.field === 'body'), JSON.stringify(augment.preview.samples.map((s) => s.field)));
  } finally {
    await client.stop();
  }
});

test('in process: a file deleted while it is checked from disk has its check stopped and gets no problems back', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tuneset-lsp-deleted-'));
  const client = await LspClient.inProcess({ debounceMs: 0 });
  try {
    await client.initialize(ws);
    await client.ready;
    // Big enough to be checked in a worker for a while (the check shows its progress), with findings on every row.
    const file = join(ws, 'big.csv');
    const uri = pathToFileURL(file).href;
    writeFileSync(file, 'text,label\n' + Array.from({ length: 120000 }, (_, i) => `"row ${i % 50} says the same few words again, call 555-0100",${i % 2 ? 'a' : 'b'}`).join('\n') + '\n');
    const published: number[] = [];
    let deleted = false;
    const listener = client.onMessage('textDocument/publishDiagnostics', (p) => {
      const d = p as { uri: string; diagnostics: unknown[] };
      if (d.uri === uri && deleted) published.push(d.diagnostics.length);
    });
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 1 }] });
    const token = await client.progressBegun('big.csv');
    unlinkSync(file);
    deleted = true;
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
    await client.progressEnded(token);
    // Whatever comes after the deletion (its problems cleared) is empty, and stays so.
    await client.request(FileSummaryRequest.method, { uri });
    listener.dispose();
    assert.ok(published.every((n) => n === 0), `problems published for a deleted file: ${JSON.stringify(published)}`);
  } finally {
    await client.stop();
  }
});

test('in process: a "changed" event for a file as the server last read it (same time and size) reads nothing; a real change is checked', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tuneset-lsp-unchanged-'));
  const file = join(ws, 'd.jsonl');
  const uri = pathToFileURL(file).href;
  const row = (i: number) => JSON.stringify({ text: `review number ${i} of the product`, label: i % 2 ? 'a' : 'b' });
  writeFileSync(file, [row(1), row(2), row(1)].join('\n') + '\n');
  const client = await LspClient.inProcess({ debounceMs: 0 });
  const logs: string[] = [];
  client.onMessage('window/logMessage', (p) => logs.push((p as { message: string }).message));
  try {
    await client.initialize(ws);
    await client.ready;
    await client.diagnostics(uri, (d) => codes(d).includes('exact-duplicate'));
    const changed = () => logs.filter((l) => l.includes('d.jsonl changed on disk')).length;
    // A watcher that reports what did not change (code-server's did, for a file only read).
    for (let k = 0; k < 3; k++) void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    await client.request(FileSummaryRequest.method, { uri });
    assert.equal(changed(), 0, logs.join('\n'));
    // A real change, reported three times as it is written (a big file's save): read once, the duplicate gone.
    writeFileSync(file, [row(1), row(2), row(3), row(4)].join('\n') + '\n');
    const next = client.diagnostics(uri, (d) => !codes(d).includes('exact-duplicate'));
    for (let k = 0; k < 3; k++) void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    await next;
    assert.equal(changed(), 1);

    // An open document saved (auto save does it every second while one types): its diagnostics come from
    // its text, and a file without a split role is not read again for the leak check.
    const text = [row(5), row(6)].join('\n') + '\n';
    client.open(uri, text);
    await client.diagnostics(uri);
    writeFileSync(file, text);
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    // A file that takes part in the leak check is read, open or not.
    const train = join(ws, 'train.jsonl');
    const trainUri = pathToFileURL(train).href;
    writeFileSync(train, text);
    client.open(trainUri, text);
    await client.diagnostics(trainUri);
    writeFileSync(train, text + row(7) + '\n');
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: trainUri, type: 2 }] });
    for (let waited = 0; waited < 5000 && !logs.some((l) => l.includes('train.jsonl changed on disk')); waited += 50) await new Promise((r) => setTimeout(r, 50));
    assert.ok(logs.some((l) => l.includes('train.jsonl changed on disk')), 'a training file is read for the leak check');
    assert.equal(changed(), 1, 'the open d.jsonl was not read again');
  } finally {
    await client.stop();
  }
});
