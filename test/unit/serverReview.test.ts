import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OpenDatasets } from '../../server/src/lsp/datasets';
import { AugmentPreviewRequest, AugmentWriteRequest, CancelChecksRequest, ChecksRunningNotification, FileSummaryRequest, ReportRequest, SplitPreviewRequest, SplitWriteRequest, type AugmentChoices, type SplitChoices } from '../../server/src/protocol';
import { LspClient } from '../lsp/lspClient';

/**
 * Review defects of the language server (issue #21's panels that never mislead, #16's hostile input):
 * work left running after a settings change, watched files that are no datasets, files created in
 * the workspace checked on the server's thread, panels that held the server while they worked.
 */

const WORDS = 'the battery lasts two full days and charging is quick strap broke on second day would recommend it to a friend screen bright sound clear price fair'.split(' ');

/** Made-up rows, the same every run. */
function rows(n: number): string[] {
  let seed = 5;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => JSON.stringify({ text: `Row ${i}: ${Array.from({ length: 18 + Math.floor(next() * 12) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ')}.`, label: ['pos', 'neg'][i % 2] }));
}

/** Runs `run` with a language server started in this process (its settings read, `workspace` its folder), stopped after. */
async function withServer(settings: Record<string, unknown>, workspace: string | undefined, run: (client: LspClient) => Promise<void>, o: { spawned?: boolean } = {}): Promise<void> {
  // A spawned server (dist/server.js) for tests that leave work behind them (a label model, a background pass).
  const client = o.spawned ? new LspClient(settings) : await LspClient.inProcess(settings);
  try {
    await client.initialize(workspace);
    await client.ready;
    await run(client);
  } finally {
    await client.stop();
  }
}

/** Resolves once `condition` holds (looked at every few milliseconds). */
async function until(condition: () => boolean, what: string, timeoutMs = 60000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('a settings change stops the background near-duplicate passes of the datasets it replaces', async () => {
  await withServer({ debounceMs: 0 }, undefined, async (client) => {
    const uri = 'untitled:big.jsonl';
    client.open(uri, rows(40000).join('\n') + '\n');
    await client.diagnostics(uri);
    // A big document's near-duplicates come from a worker thread once checks pause.
    await until(() => OpenDatasets.liveWorkers > 0, 'the background pass starts');
    const rechecked = client.nextDiagnostics(uri);
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await rechecked;
    assert.equal(OpenDatasets.liveWorkers, 0, 'the pass of the datasets checked with the old settings is stopped');
  });
});

test('a watched file is checked only when the workspace scan would check it: no package.json, no excluded or node_modules file', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tuneset-watched-'));
  await withServer({ debounceMs: 0, exclude: ['skip/**'] }, ws, async (client) => {
    const files = {
      packageJson: join(ws, 'package.json'),
      tsconfig: join(ws, 'tsconfig.json'),
      excluded: join(ws, 'skip', 'd.jsonl'),
      modules: join(ws, 'node_modules', 'm', 'd.jsonl'),
      dataset: join(ws, 'data.jsonl'),
      jsonDataset: join(ws, 'rows.json'),
    };
    for (const dir of ['skip', 'node_modules/m']) mkdirSync(join(ws, dir), { recursive: true });
    writeFileSync(files.packageJson, JSON.stringify({ name: 'x', version: '1.0.0', scripts: { build: 'tsc' } }));
    writeFileSync(files.tsconfig, '{ "compilerOptions": { "strict": true } }');
    for (const f of [files.excluded, files.modules, files.dataset]) writeFileSync(f, rows(10).join('\n') + '\n');
    writeFileSync(files.jsonDataset, JSON.stringify(rows(10).map((r) => JSON.parse(r))));
    const uris = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, pathToFileURL(f).href]));
    const created = client.diagnostics(uris.dataset);
    // The dataset comes last: once its diagnostics are out, the changes before it have been handled.
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: ['packageJson', 'tsconfig', 'excluded', 'modules', 'jsonDataset', 'dataset'].map((k) => ({ uri: uris[k], type: 1 })),
    });
    await created;
    const published = new Set(client.published.map((p) => p.uri));
    assert.deepEqual(['packageJson', 'tsconfig', 'excluded', 'modules', 'jsonDataset', 'dataset'].filter((k) => published.has(uris[k])), ['jsonDataset', 'dataset']);
  });
});

test('a CSV created in the workspace is checked off the server\'s thread, among the running checks, and "Cancel check" stops it', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tuneset-created-'));
  await withServer({ debounceMs: 0 }, ws, async (client) => {
    const csv = join(ws, 'big.csv');
    writeFileSync(csv, 'text,label\n' + rows(120000).map((r) => { const { text, label } = JSON.parse(r) as { text: string; label: string }; return `"${text}",${label}`; }).join('\n') + '\n');
    const uri = pathToFileURL(csv).href;
    const order: string[] = [];
    const listener = client.onMessage('textDocument/publishDiagnostics', (p) => void ((p as { uri: string }).uri === uri && order.push('diagnostics')));
    const listed = client.notification<ChecksRunningNotification.Params>(ChecksRunningNotification.method, (p) => p.titles.includes('checking big.csv'));
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 1 }] });
    // Asked right after: answered while the file is checked, not after its diagnostics.
    const summary = await client.request<FileSummaryRequest.Result>(FileSummaryRequest.method, { uri });
    order.push('answer');
    assert.equal(summary, null, 'the file has not been checked yet');
    await listed;
    const stopped = client.notification<{ message: string }>('window/logMessage', (p) => /check of big\.csv from disk cancelled/.test(p.message));
    const { cancelled } = await client.request<CancelChecksRequest.Result>(CancelChecksRequest.method, {});
    assert.ok(cancelled.includes('checking big.csv'), `cancelled: ${cancelled.join(', ')}`);
    await stopped;
    listener.dispose();
    assert.deepEqual(order, ['answer'], 'a cancelled check sends no diagnostics');
  });
});

const SPLIT: SplitChoices = {
  mode: 'ratios', ratios: [80, 10, 10], folds: 5, seed: 42, stratify: true, groupDuplicates: true, groupNearDuplicates: false, groupField: '', timeField: '', outputFolder: '',
};
const AUGMENT: AugmentChoices = { operations: ['sr', 'ri', 'rs', 'rd'], alpha: 0.1, n: 1, balance: 'none', target: 0, seed: 7, provenanceField: 'augmented_from' };

test('while a panel reads and plans a big file, the server answers other requests: a hover and a file summary come back first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-panel-thread-'));
  await withServer({ debounceMs: 0 }, undefined, async (client) => {
    const small = 'untitled:small.jsonl';
    client.open(small, rows(20).join('\n') + '\n');
    await client.diagnostics(small);
    for (const [name, ask] of [
      ['split', (uri: string) => client.send(SplitPreviewRequest.type, { uri, choices: SPLIT, folder: dir })],
      ['augment', (uri: string) => client.send(AugmentPreviewRequest.type, { uri, choices: AUGMENT })],
    ] as const) {
      const big = join(dir, `${name}.jsonl`);
      writeFileSync(big, rows(20000).join('\n') + '\n');
      const order: string[] = [];
      const panel = ask(pathToFileURL(big).href).then((r) => (order.push('panel'), r));
      const hover = client.request<unknown>('textDocument/hover', { textDocument: { uri: small }, position: { line: 0, character: 2 } }).then(() => order.push('hover'));
      const summary = client.request<FileSummaryRequest.Result>(FileSummaryRequest.method, { uri: small }).then((s) => (order.push('summary'), s));
      const [answer, , s] = await Promise.all([panel, hover, summary]);
      assert.ok(!('problems' in answer), `${name}: the panel's answer is a preview`);
      assert.equal(s?.rows, 20);
      assert.deepEqual(order, ['hover', 'summary', 'panel'], `${name}: the other requests are answered while the panel works`);
    }
    // The report of a big document the server holds (its label model, diversity, examples) is made in the worker too.
    const text = rows(20000).join('\n') + '\n';
    writeFileSync(join(dir, 'report.jsonl'), text);
    const big = pathToFileURL(join(dir, 'report.jsonl')).href;
    client.open(big, text);
    // Once the document is checked (a summary waits for its check), the report waits for nothing but itself.
    assert.equal((await client.request<FileSummaryRequest.Result>(FileSummaryRequest.method, { uri: big }))?.rows, 20000);
    const order: string[] = [];
    const report = client.send(ReportRequest.type, { uri: big }).then((r) => (order.push('report'), r));
    const hover = client.request<unknown>('textDocument/hover', { textDocument: { uri: small }, position: { line: 0, character: 2 } }).then(() => order.push('hover'));
    const [made] = await Promise.all([report, hover]);
    assert.equal(made?.header.rows, 20000);
    assert.deepEqual(order, ['hover', 'report']);
  }, { spawned: true });
});

test('panel writes refuse what the CLI refuses, saying why: a file without a usable row, an augmentation far larger than its file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-panel-refusals-'));
  await withServer({ debounceMs: 0 }, undefined, async (client) => {
    const twenty = join(dir, 'twenty.jsonl');
    writeFileSync(twenty, rows(20).join('\n') + '\n');
    const choices = { ...AUGMENT, n: 500 };
    const preview = await client.send(AugmentPreviewRequest.type, { uri: pathToFileURL(twenty).href, choices });
    assert.ok('preview' in preview);
    const refusal = /twenty\.jsonl: 500 new rows per row asks for 10,000 new rows from 20 rows, more than 100 per row or 10,000,000 in all; choose fewer, or make them with `tuneset augment --force-large`/;
    assert.ok(preview.preview.warnings.some((w) => refusal.test(w)), `the preview says it: ${preview.preview.warnings.join(' | ')}`);
    const written = await client.send(AugmentWriteRequest.type, { uri: pathToFileURL(twenty).href, choices, overwrite: [] });
    assert.ok('problems' in written, 'the write is refused');
    assert.match(written.problems[0], refusal);
    assert.deepEqual(readdirSync(dir), ['twenty.jsonl'], 'nothing is written');

    // Rows none of which can be used: no split files, no augmented file.
    const empty = join(dir, 'unusable.jsonl');
    writeFileSync(empty, '{"text": oops}\n{"text": nope}\n{"text": "a", "label": }\n{bad\n');
    const uri = pathToFileURL(empty).href;
    const none = /unusable\.jsonl: none of its 4 rows can be used \(line 1: /;
    const split = await client.send(SplitWriteRequest.type, { uri, choices: SPLIT, folder: join(dir, 'out'), overwrite: [] });
    assert.ok('problems' in split, `the split is refused: ${JSON.stringify(split)}`);
    assert.match(split.problems[0], none);
    const augmented = await client.send(AugmentWriteRequest.type, { uri, choices: AUGMENT, overwrite: [] });
    assert.ok('problems' in augmented, `the augmentation is refused: ${JSON.stringify(augmented)}`);
    assert.equal(existsSync(join(dir, 'out')), false);
    assert.deepEqual(readdirSync(dir).sort(), ['twenty.jsonl', 'unusable.jsonl']);
  });
});
