import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { analyzeDataset, DEFAULT_CONFIG } from '../../server/src/engine';
import {
  AugmentFormRequest, AugmentPreviewRequest, AugmentWriteRequest, ExportReportRequest, ReportPageRequest, SplitFormRequest, SplitPreviewRequest,
  SplitWriteRequest, type AugmentChoices, type SplitChoices, type SplitPreview,
} from '../../server/src/protocol';
import { LspClient } from '../lsp/lspClient';
import { replaced, rng, words } from './nearText';

/**
 * The panels' requests, answered by the real language server (dist/server.js over stdio): the split
 * and augment previews and writes, the report page and its export. What they write is read back and
 * checked; long work reports work-done progress on the client's token and stops when cancelled,
 * leaving no file behind.
 */
const client = new LspClient({ debounceMs: 0 });
const dir = mkdtempSync(join(tmpdir(), 'tuneset-panels-'));
const uriOf = (file: string) => pathToFileURL(file).href;

const WORDS = ('the battery lasts two full days and charging is quick strap broke on second day would recommend it to a friend screen bright '
  + 'sound clear price fair delivery late box damaged colour matches photo fits well size runs small support answered fast refund took').split(' ');

/** Made-up reviews, the same every run; every 25th row repeats an earlier one with a word added (a near-duplicate). */
function reviews(n: number): string {
  let seed = 11;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const rows: { text: string; label: string }[] = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 20 + Math.floor(next() * 15) }, () => WORDS[Math.floor(next() * WORDS.length)]);
    const text = i % 25 === 24 ? `${rows[i - 12].text} indeed` : `Review ${i}: ${words.join(' ')}.`;
    rows.push({ text, label: ['positive', 'negative', 'neutral'][i % 3] });
  }
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

function dataset(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const SPLIT: SplitChoices = {
  mode: 'ratios', ratios: [80, 10, 10], folds: 5, seed: 42, stratify: true, groupDuplicates: true, groupNearDuplicates: false, groupField: '', timeField: '', outputFolder: '',
};
const AUGMENT: AugmentChoices = { operations: ['sr', 'ri', 'rs', 'rd'], alpha: 0.1, n: 1, balance: 'none', target: 0, seed: 7, provenanceField: 'augmented_from' };

/** The rows of a JSONL file. */
const rowsOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

/** A written file passes the check: it reads as the same format, with no error. */
function assertChecks(file: string, format: string): void {
  const analysis = analyzeDataset(file, readFileSync(file), DEFAULT_CONFIG);
  assert.equal(analysis.format, format, `${basename(file)} reads as ${format}`);
  assert.deepEqual(analysis.findings.filter((f) => f.severity === 'error').map((f) => `${f.line}: ${f.rule}`), [], `${basename(file)} has no errors`);
}

/** Progress notices on a token of this test's own. */
const noticesOf = (token: string) => client.progressNotices.filter((p) => p.token === token).map((p) => p.value.kind);

/** Resolves once progress has begun on the token. */
async function begun(token: string): Promise<void> {
  if (noticesOf(token).includes('begin')) return;
  await client.notification<{ token: string; value: { kind: string } }>('$/progress', (p) => p.token === token && p.value.kind === 'begin');
}

let tokens = 0;
const newToken = () => `panels-${++tokens}`;

before(async () => {
  await client.initialize();
  await client.ready;
});
after(() => client.stop());

test('split form and preview: the file\'s format and fields, and the splits the choices make, files in the chosen folder', async () => {
  const file = dataset('reviews.jsonl', reviews(300));
  const form = await client.send(SplitFormRequest.type, { uri: uriOf(file) });
  assert.ok(!('problems' in form));
  assert.equal(form.format, 'classification');
  assert.deepEqual(form.fields, ['text', 'label']);
  assert.equal(form.defaults.stratify, true);
  const out = join(dir, 'out');
  const result = await client.send(SplitPreviewRequest.type, { uri: uriOf(file), choices: SPLIT, folder: out });
  assert.ok('preview' in result);
  const p = result.preview;
  assert.equal(p.rows, 300);
  assert.deepEqual(p.splits.map((s) => [s.name, s.file, s.rows]), [['train', join(out, 'reviews.train.jsonl'), 240], ['val', join(out, 'reviews.val.jsonl'), 30], ['test', join(out, 'reviews.test.jsonl'), 30]]);
  assert.deepEqual(p.labels.sort(), ['negative', 'neutral', 'positive']);
  const bad = await client.send(SplitPreviewRequest.type, { uri: uriOf(file), choices: { ...SPLIT, ratios: [80, -1] }, folder: out });
  assert.ok('problems' in bad && bad.problems.length > 0, 'choices the engine refuses come back as problems');
  const missing = await client.send(SplitFormRequest.type, { uri: uriOf(join(dir, 'none.jsonl')) });
  assert.ok('problems' in missing && /none\.jsonl: no such file/.test(missing.problems[0]));
});

test('split write: the files and the manifest, each row once, every file passing the check; existing files are named, not replaced, until the user agrees', async () => {
  const file = join(dir, 'reviews.jsonl');
  const out = join(dir, 'out');
  const token = newToken();
  const written = await client.send(SplitWriteRequest.type, { uri: uriOf(file), choices: SPLIT, folder: out, overwrite: [], workDoneToken: token });
  const names = ['reviews.train.jsonl', 'reviews.val.jsonl', 'reviews.test.jsonl', 'reviews.split.json'];
  assert.deepEqual(written, { written: names.map((n) => join(out, n)), rows: 300 });
  const texts = names.slice(0, 3).flatMap((n) => rowsOf(join(out, n)).map((r) => r.text));
  assert.deepEqual([...texts].sort(), rowsOf(file).map((r) => r.text).sort(), 'every row in exactly one split');
  for (const n of names.slice(0, 3)) assertChecks(join(out, n), 'classification');
  assert.equal(JSON.parse(readFileSync(join(out, 'reviews.split.json'), 'utf8')).kind, 'split');
  assert.equal(noticesOf(token)[0], 'begin');
  assert.equal(noticesOf(token).at(-1), 'end');

  const again = await client.send(SplitWriteRequest.type, { uri: uriOf(file), choices: { ...SPLIT, seed: 1 }, folder: out, overwrite: [] });
  assert.deepEqual(again, { exists: names.map((n) => join(out, n)) });
  assert.deepEqual(rowsOf(join(out, 'reviews.train.jsonl')).map((r) => r.text).length, 240, 'nothing was replaced');
  const replaced = await client.send(SplitWriteRequest.type, { uri: uriOf(file), choices: { ...SPLIT, seed: 1 }, folder: out, overwrite: names.map((n) => join(out, n)) });
  assert.ok('written' in replaced);
  assert.equal(JSON.parse(readFileSync(join(out, 'reviews.split.json'), 'utf8')).seed, 1);
});

/** The near-duplicate groups a preview reports, and whether the request searched (its progress began). */
async function nearDuplicatePreview(file: string): Promise<{ groups: SplitPreview['groups']; searched: boolean }> {
  const token = newToken();
  const result = await client.send(SplitPreviewRequest.type, { uri: uriOf(file), choices: { ...SPLIT, groupNearDuplicates: true, groupDuplicates: false }, folder: dir, workDoneToken: token });
  assert.ok('preview' in result);
  return { groups: result.preview.groups, searched: noticesOf(token).includes('begin') };
}

test('near-duplicate grouping uses the server\'s analysis of the file when it is current, else searches once (with progress)', async () => {
  const text = reviews(300);
  const onDisk = dataset('near-disk.jsonl', text);
  const first = await nearDuplicatePreview(onDisk);
  assert.equal(first.searched, true, 'a file the server has not analyzed is searched');
  assert.equal(first.groups.count, 12, 'every 25th row joins an earlier one');
  assert.deepEqual(await nearDuplicatePreview(onDisk), { ...first, searched: false }, 'the search is made once while the file is unchanged');

  const opened = dataset('near-open.jsonl', text);
  client.open(uriOf(opened), text);
  await client.diagnostics(uriOf(opened));
  // An open document's analysis keeps no row index (the CLI's grouping needs one): the file is searched once, as the CLI would group it.
  assert.deepEqual(await nearDuplicatePreview(opened), first, 'an open document with the file\'s text: the file is searched, the same groups');
  assert.deepEqual(await nearDuplicatePreview(opened), { ...first, searched: false }, 'then its groups are kept');

  const edited = dataset('near-edited.jsonl', text);
  client.open(uriOf(edited), text);
  await client.diagnostics(uriOf(edited));
  client.change(uriOf(edited), { line: 0, character: 1 }, { line: 0, character: 1 }, ' ');
  await client.diagnostics(uriOf(edited), (p) => (p.diagnostics.find((d) => d.data)?.data as { version?: number } | undefined)?.version === 2);
  assert.deepEqual(await nearDuplicatePreview(edited), first, 'an edited (unsaved) document is not what the split reads: the file is searched');
});

test('split panel and CLI make one plan: the same file and choices give the same files, byte for byte (near-duplicate chains, exact duplicates, k-fold too)', async () => {
  const random = rng(5);
  const rows: { text: string; label: string }[] = [];
  for (let i = 0; i < 60; i++) {
    const a = words(60, random);
    rows.push({ text: a.join(' '), label: ['yes', 'no', 'maybe'][i % 3] });
    if (i % 4 === 0) {
      // A chain: b is near a, c near b, a and c not near each other (Jaccard about 0.84, 0.84, 0.70).
      const b = replaced(a, [20], random);
      const c = replaced(b, [40], random);
      rows.push({ text: b.join(' '), label: 'yes' }, { text: c.join(' ').toUpperCase(), label: 'no' });
    }
    if (i % 7 === 0) rows.push({ text: `  ${a.join('  ')} `, label: 'maybe' });
  }
  const order = rows.map((_, i) => i).sort((x, y) => ((x * 7919) % 97) - ((y * 7919) % 97) || x - y);
  const base = mkdtempSync(join(tmpdir(), 'tuneset-one-plan-'));
  const file = join(base, 'chains.jsonl');
  writeFileSync(file, order.map((i) => JSON.stringify(rows[i])).join('\n') + '\n');
  for (const [choices, args] of [
    [{ ...SPLIT, seed: 3, groupNearDuplicates: true }, ['--stratify', '--seed', '3']],
    [{ ...SPLIT, mode: 'folds', folds: 4, seed: 9, stratify: false, groupNearDuplicates: true }, ['--folds', '4', '--seed', '9']],
  ] as [SplitChoices, string[]][]) {
    const panelOut = mkdtempSync(join(base, 'panel-'));
    const cliOut = mkdtempSync(join(base, 'cli-'));
    const written = await client.send(SplitWriteRequest.type, { uri: uriOf(file), choices, folder: panelOut, overwrite: [] });
    assert.ok('written' in written, JSON.stringify(written));
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'tuneset.js'), 'split', file, ...args, '--allow-missing-labels', '--out', cliOut], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /rows in 21 groups kept whole \(largest: 4 rows\)/, 'a chain is one group (of four with a spacing duplicate of its first row)');
    const files = (folder: string) => written.written.map((f) => readFileSync(join(folder, relative(panelOut, f)), 'utf8'));
    assert.deepEqual(files(cliOut), files(panelOut), args.join(' '));
  }
});

test('a near-duplicate search cancelled from its progress stops, and the next preview searches again', async () => {
  const file = dataset('near-big.jsonl', reviews(30000));
  const token = newToken();
  const cancel = new CancellationTokenSource();
  const asked = client.send(SplitPreviewRequest.type, { uri: uriOf(file), choices: { ...SPLIT, groupNearDuplicates: true }, folder: dir, workDoneToken: token }, cancel.token);
  await begun(token);
  cancel.cancel();
  await assert.rejects(asked, (e: { code?: number }) => e.code === -32800, 'answered as cancelled');
  const again = await nearDuplicatePreview(file);
  assert.equal(again.searched, true);
  assert.equal(again.groups.count, 1200);
});

test('augment form: a split file is augmented through its train split; a held-out split is refused', async () => {
  const file = join(dir, 'reviews.jsonl');
  const out = join(dir, 'out');
  // The split above wrote its files elsewhere: the manifest names them beside itself.
  const form = await client.send(AugmentFormRequest.type, { uri: uriOf(join(out, 'reviews.train.jsonl')) });
  assert.ok('source' in form);
  assert.equal(form.source, join(out, 'reviews.train.jsonl'));
  assert.equal(form.manifest, join(out, 'reviews.split.json'));
  assert.equal(form.format, 'classification');
  assert.equal(form.operations.sr, 'synonym replacement');
  assert.deepEqual(await client.send(AugmentFormRequest.type, { uri: uriOf(join(out, 'reviews.test.jsonl')) }), { heldOutOf: join(out, 'reviews.split.json') });
  const plain = await client.send(AugmentFormRequest.type, { uri: uriOf(file) });
  assert.ok('source' in plain && plain.source === file && plain.manifest === undefined);
});

test('augment preview augments a sample of rows and says so; the write augments them all, as the preview showed', async () => {
  const file = dataset('augment.jsonl', reviews(1000));
  const result = await client.send(AugmentPreviewRequest.type, { uri: uriOf(file), choices: AUGMENT });
  assert.ok('preview' in result);
  const p = result.preview;
  assert.equal(p.rows, 1000);
  assert.equal(p.sampled, 200);
  assert.equal(p.samples.length, 20);
  // Per-operation counts of the sample's new rows, and each shown row names its operation's code (what a reject toggle names).
  assert.equal(Object.values(p.byOperation).reduce((a, b) => a + b, 0), 200);
  assert.deepEqual(Object.keys(p.byOperation).sort(), ['rd', 'ri', 'rs', 'sr']);
  assert.ok(p.samples.every((s) => s.code in p.byOperation));
  assert.equal(p.newRows, 1000, 'one new row planned per row');
  assert.deepEqual(p.after, Object.fromEntries(Object.entries(p.before).map(([l, n]) => [l, 2 * n])), 'planned counts: each label doubles');
  assert.equal(p.output, join(dir, 'augment.augmented.jsonl'));

  const token = newToken();
  const written = await client.send(AugmentWriteRequest.type, { uri: uriOf(file), choices: AUGMENT, overwrite: [], workDoneToken: token });
  assert.ok('written' in written);
  assert.deepEqual(written.written, [p.output]);
  const rows = rowsOf(p.output);
  const added = rows.filter((r) => typeof r.augmented_from === 'number');
  assert.equal(added.length, written.rows);
  assert.equal(rows.length - added.length, 1000, 'the source rows are kept');
  for (const s of p.samples) {
    assert.ok(added.some((r) => r.augmented_from === s.line && r.text === s.augmented), `line ${s.line}'s previewed row is written as shown`);
  }
  assertChecks(p.output, 'classification');
  assert.equal(noticesOf(token)[0], 'begin');
  assert.equal(noticesOf(token).at(-1), 'end');
  assert.deepEqual(await client.send(AugmentWriteRequest.type, { uri: uriOf(file), choices: AUGMENT, overwrite: [] }), { exists: [p.output] });
});

test('augment write with an operation rejected leaves its rows out and keeps the others as previewed', async () => {
  const file = dataset('reject.jsonl', reviews(150));
  const all = await client.send(AugmentPreviewRequest.type, { uri: uriOf(file), choices: AUGMENT });
  assert.ok('preview' in all);
  const written = await client.send(AugmentWriteRequest.type, { uri: uriOf(file), choices: { ...AUGMENT, rejected: ['rd'] }, overwrite: [] });
  assert.ok('written' in written);
  const added = rowsOf(written.written[0]).filter((r) => typeof r.augmented_from === 'number');
  assert.equal(all.preview.sampled, 150, 'the preview augments every row of a small file');
  const previewed = Object.values(all.preview.byOperation).reduce((a, b) => a + b, 0);
  assert.ok(all.preview.byOperation.rd > 0);
  assert.equal(added.length, previewed - all.preview.byOperation.rd, 'every row but the rd ones');
  for (const s of all.preview.samples) {
    const found = added.some((r) => r.augmented_from === s.line && r.text === s.augmented);
    assert.equal(found, s.code !== 'rd', `line ${s.line} (${s.code})`);
  }
  const refused = await client.send(AugmentPreviewRequest.type, { uri: uriOf(file), choices: { ...AUGMENT, operations: ['bt'] } });
  assert.ok('problems' in refused && /back-translation and paraphrase need augment\.endpoint \(tuneset\.augment\.endpoint\)/.test(refused.problems[0]), JSON.stringify(refused));
});

test('an augment write cancelled from its progress leaves no file, and no temp file, behind', async () => {
  const sub = join(dir, 'cancel');
  mkdirSync(sub);
  const file = join(sub, 'big.jsonl');
  writeFileSync(file, reviews(20000));
  const token = newToken();
  const cancel = new CancellationTokenSource();
  const asked = client.send(AugmentWriteRequest.type, { uri: uriOf(file), choices: { ...AUGMENT, n: 5 }, overwrite: [], workDoneToken: token }, cancel.token);
  await begun(token);
  cancel.cancel();
  await assert.rejects(asked, (e: { code?: number }) => e.code === -32800, 'answered as cancelled');
  assert.deepEqual(readdirSync(sub), ['big.jsonl']);
});

test('the report page and its export: HTML and a Markdown card written together, never over the dataset', async () => {
  const file = join(dir, 'reviews.jsonl');
  const text = readFileSync(file, 'utf8');
  client.open(uriOf(file), text);
  await client.diagnostics(uriOf(file));
  const page = await client.send(ReportPageRequest.type, { uri: uriOf(file), scripts: ['vscode-resource:/report.js'], styles: ['vscode-resource:/report.css'], nonce: 'abc123', cspSource: 'vscode-resource:' });
  assert.ok(page);
  assert.match(page.html, /<script nonce="abc123" src="vscode-resource:\/report.js"><\/script>/);
  assert.match(page.html, /id="report-data"/);
  assert.equal(await client.send(ReportPageRequest.type, { uri: uriOf(join(dir, 'unknown.jsonl')), scripts: [], styles: [], nonce: 'n', cspSource: '' }), null);

  const html = join(dir, 'export', 'reviews.report.html');
  const token = newToken();
  const exported = await client.send(ExportReportRequest.type, { uri: uriOf(file), html, overwrite: [], workDoneToken: token });
  const md = join(dir, 'export', 'reviews.report.md');
  assert.deepEqual(exported, { written: [html, md], rows: 300 });
  const page2 = readFileSync(html, 'utf8');
  assert.match(page2, /Chart\.js/, 'Chart.js is inlined');
  assert.doesNotMatch(page2, /<script[^>]+src=/, 'no script is loaded from elsewhere');
  const data = JSON.parse(/id="report-data">([\s\S]*?)<\/script>/.exec(page2)![1]);
  assert.equal(data.header.rows, 300);
  assert.match(readFileSync(md, 'utf8'), /300/);
  assert.equal(noticesOf(token)[0], 'begin');
  assert.deepEqual(await client.send(ExportReportRequest.type, { uri: uriOf(file), html, overwrite: [html] }), { exists: [md] });
  const onInput = await client.send(ExportReportRequest.type, { uri: uriOf(file), html: file, overwrite: [file] });
  assert.ok(onInput && 'problems' in onInput, 'the dataset itself is never an output');
  assert.equal(readFileSync(file, 'utf8'), text);
  assert.ok(existsSync(html));
});

test('near-duplicate grouping uses the workspace check\'s analysis of a file on disk while the file is unchanged', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tuneset-panels-ws-'));
  const file = join(ws, 'disk.jsonl');
  writeFileSync(file, reviews(300));
  const server = new LspClient({ debounceMs: 0 });
  try {
    await server.initialize(ws);
    await server.ready;
    const preview = async () => {
      const token = newToken();
      const result = await server.send(SplitPreviewRequest.type, { uri: uriOf(file), choices: { ...SPLIT, groupNearDuplicates: true }, folder: ws, workDoneToken: token });
      assert.ok('preview' in result);
      return { groups: result.preview.groups.count, searched: server.progressNotices.some((p) => p.token === token && p.value.kind === 'begin') };
    };
    assert.deepEqual(await preview(), { groups: 12, searched: false }, 'the workspace check analyzed the file: its analysis is used');
    // Open and edited (not saved): the document's analysis is not of the file, the workspace check's still is.
    server.open(uriOf(file), readFileSync(file, 'utf8'));
    await server.diagnostics(uriOf(file));
    server.change(uriOf(file), { line: 0, character: 1 }, { line: 0, character: 1 }, ' ');
    assert.deepEqual(await preview(), { groups: 12, searched: false }, 'an unsaved edit: the analysis of the file on disk is used');
    // Changed on disk (the server has not heard of it: no watcher in this test): its analysis is out of date.
    writeFileSync(file, reviews(300) + JSON.stringify({ text: 'one more row of text', label: 'positive' }) + '\n');
    assert.deepEqual(await preview(), { groups: 12, searched: true });
  } finally {
    await server.stop();
  }
});
