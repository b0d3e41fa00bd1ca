import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agreementCheckSteps, analyzeDataset, labelCheckJson, labelCheckSteps, parseConfig, type LabelCheck } from '../../server/src/engine';
import { analyzeFile } from '../../server/src/host/analyzeFile';
import { translator } from '../../server/src/host/l10n';
import { LABEL_MODEL_MAX_ROWS, withLabelModel } from '../../server/src/host/labelModel';
import { fileReport } from '../../server/src/host/report';
import { labelQualitySentence } from '../../server/src/lsp/labelSummary';
import { FileSummaryRequest } from '../../server/src/protocol';
import { LspClient } from '../lsp/lspClient';

/**
 * Annotator agreement when the label model does not run (#18): skipped with --no-label-model, its
 * rule off, a file over the model's row limit, or a file the model refuses (one label, too few rows).
 * Consistency, κ and per-label agreement are still said in the CLI's summary, its JSON, the report and
 * the editor, with the numbers the model's path gives. Hand-computed on two fixtures:
 * - two-annotators.jsonl (label_a, label_b): agree on rows 1, 2, 4, 5, 7 (5 of 8); marginals
 *   positive 3/8 and 3/8, negative 3/8 and 3/8, neutral 2/8 and 2/8, so p_e = 22/64 and Cohen's
 *   κ = (40/64 − 22/64)/(42/64) = 3/7;
 * - three-annotators.csv (rater_1..3): counts (spam, ham) [3,0] [0,3] [2,1] [1,2] [3,0] [0,3];
 *   P_i 1, 1, 1/3, 1/3, 1, 1, P̄ = 7/9; totals 9 and 9 of 18, P_e = 1/2; Fleiss' κ = (7/9 − 1/2)/(1/2) = 5/9;
 *   per label Σv(v−1)/Σv(n−1) = 14/18 for both.
 */

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');
const TWO = join(ROOT, 'test', 'fixtures', 'labels', 'two-annotators.jsonl');
const THREE = join(ROOT, 'test', 'fixtures', 'labels', 'three-annotators.csv');

function tuneset(args: string[]) {
  const { LANG: _l, LC_ALL: _a, LC_MESSAGES: _m, ...env } = process.env;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return r.stdout;
}

const close = (a: number | null, b: number) => a !== null && Math.abs(a - b) < 1e-12;

test('--no-label-model: consistency, kappa and per-label agreement in the text summary and the JSON; the disagreeing rows are still findings', () => {
  const two = tuneset(['check', '--no-label-model', TWO]);
  assert.match(two, /^ {2}label model: not run: skipped \(--no-label-model\)$/m);
  assert.match(two, /^ {2}annotators: 2 agree on 62\.5% of 8 rows \(consistency\); Cohen's κ 0\.43 \(moderate\)$/m);
  assert.match(two, /^ {2}agreement per label: negative 66\.7% · neutral 50\.0% · positive 66\.7%; 3 rows with differing labels \(JSON: labelQuality\.agreement\)$/m);
  assert.match(two, /two-annotators\.jsonl:3:\d+ info annotator-disagreement Annotators disagree: "negative" ×1 \(label_b\), "positive" ×1 \(label_a\); no majority/);

  const three = tuneset(['check', '--no-label-model', THREE]);
  assert.match(three, /^ {2}annotators: 3 agree on 66\.7% of 6 rows \(consistency\); Fleiss' κ 0\.56 \(moderate\)$/m);
  assert.match(three, /^ {2}agreement per label: ham 77\.8% · spam 77\.8%; 2 rows with differing labels \(JSON: labelQuality\.agreement\)$/m);

  const [a, b] = JSON.parse(tuneset(['check', '--no-label-model', '--format', 'json', TWO, THREE])).files;
  assert.deepEqual(a.labelQuality.model, { ok: false, reason: 'skipped (--no-label-model)' });
  assert.ok(close(a.labelQuality.agreement.cohensKappa, 3 / 7), String(a.labelQuality.agreement.cohensKappa));
  assert.equal(a.labelQuality.agreement.percentAgreement, 5 / 8);
  assert.deepEqual(a.labelQuality.agreement.annotatorNames, ['label_a', 'label_b']);
  assert.deepEqual(a.labelQuality.agreement.disagreements.map((d: { line: number }) => d.line), [3, 6, 8]);
  assert.deepEqual(a.findings.filter((f: { rule: string }) => f.rule === 'annotator-disagreement').map((f: { line: number }) => f.line), [3, 6, 8]);
  assert.ok(close(b.labelQuality.agreement.fleissKappa, 5 / 9), String(b.labelQuality.agreement.fleissKappa));
  assert.equal(b.labelQuality.agreement.cohensKappa, null, 'three annotators: no Cohen');
  assert.deepEqual(b.labelQuality.agreement.perLabel.map((p: { label: string; agreement: number }) => [p.label, p.agreement]), [['ham', 14 / 18], ['spam', 14 / 18]]);
  // CSV lines: the header is line 1.
  assert.deepEqual(b.labelQuality.agreement.disagreements.map((d: { line: number; majority: string }) => [d.line, d.majority]), [[4, 'spam'], [5, 'ham']]);
  assert.deepEqual(b.findings.filter((f: { rule: string }) => f.rule === 'annotator-disagreement').map((f: { line: number }) => f.line), [4, 5]);
});

test('a file the model refuses (one label throughout): agreement in the text, the JSON and the report\'s Markdown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-agreement-'));
  try {
    // The file's own label is "spam" on every row; its annotators still disagree on two rows.
    const file = join(dir, 'one-label.csv');
    writeFileSync(file, readFileSync(THREE, 'utf8').replace(/^([^,\n]+),(spam|ham),/gm, (_, text: string) => `${text},spam,`));
    const text = tuneset(['check', file]);
    assert.match(text, /^ {2}label model: not run: .*/m);
    assert.match(text, /^ {2}annotators: 3 agree on 66\.7% of 6 rows \(consistency\); Fleiss' κ 0\.56 \(moderate\)$/m);
    const json = JSON.parse(tuneset(['check', '--format', 'json', file])).files[0];
    assert.equal(json.labelQuality.model.ok, false);
    assert.ok(close(json.labelQuality.agreement.fleissKappa, 5 / 9));
    tuneset(['report', file, '--md', join(dir, 'r.md')]);
    const md = readFileSync(join(dir, 'r.md'), 'utf8');
    assert.match(md, /^The label model did not run: /m);
    assert.match(md, /^Annotator agreement: 3 annotators agree on 66\.7% of 6 rows; Fleiss' κ 0\.56 \(moderate\); 2 rows with differing labels\.$/m);
    assert.match(md, /^\| 4 \| Limited offer: cheap watches shipped today \| rater\\_1: spam, rater\\_2: spam, rater\\_3: ham \| spam \|$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the report with the label model\'s rule off: agreement in the Markdown and the summary, with the rows they disagree on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-agreement-'));
  try {
    const config = join(dir, 'tuneset.json');
    writeFileSync(config, JSON.stringify({ rules: { 'possible-label-error': 'off' } }));
    tuneset(['report', '--config', config, TWO, '--md', join(dir, 'two.md')]);
    const md = readFileSync(join(dir, 'two.md'), 'utf8');
    assert.match(md, /^The label model did not run: possible-label-error is turned off\.$/m);
    assert.match(md, /^Annotator agreement: 2 annotators agree on 62\.5% of 8 rows; Cohen's κ 0\.43, Fleiss' κ 0\.43 \(moderate\); 3 rows with differing labels\.$/m);
    assert.match(md, /^\| 3 \| The box was fine, the charger inside was not\. \| label\\_a: positive, label\\_b: negative \| tie \|$/m);
    const summary = tuneset(['report', '--config', config, THREE]);
    assert.match(summary, /^ {2}label model: not run: possible-label-error is turned off$/m);
    assert.match(summary, /^ {2}annotators: 3 agree on 66\.7% of 6 rows \(consistency\); Fleiss' κ 0\.56 \(moderate\); 2 rows with differing labels$/m);
    // Without annotators there is nothing to say: the section stays out, as before.
    const plain = join(dir, 'plain.jsonl');
    writeFileSync(plain, ['a', 'b', 'a', 'b'].map((l, i) => JSON.stringify({ text: `row number ${i} of the file`, label: l })).join('\n') + '\n');
    tuneset(['report', '--config', config, plain, '--md', join(dir, 'plain.md')]);
    assert.doesNotMatch(readFileSync(join(dir, 'plain.md'), 'utf8'), /## Label quality/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function run<T>(steps: Generator<number, T, undefined>): T {
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}

test('the same figures as the model\'s path: agreementCheckSteps against labelCheckSteps on a file past the first rows the shape is read from', () => {
  // 450 rows (over SHAPE_SAMPLE), three annotator columns, every seventh row disagreeing; a broken line keeps row indexes honest.
  const labels = ['red', 'green', 'blue'];
  const lines: string[] = [];
  for (let i = 0; i < 450; i++) {
    const label = labels[i % 3];
    const other = labels[(i + 1) % 3];
    lines.push(JSON.stringify({ text: `colour report ${i} about the ${label} paint on wall ${i % 17}`, label, annotator_1: label, annotator_2: i % 7 === 0 ? other : label, annotator_3: i % 11 === 0 ? other : label }));
    if (i === 300) lines.push('{"text": "broken');
  }
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  const config = parseConfig({}).config;
  const modelled = run(labelCheckSteps('colours.jsonl', bytes, config));
  assert.ok(modelled.quality?.model.ok, 'the model ran on this file');
  const alone = run(agreementCheckSteps('colours.jsonl', bytes, config, 'skipped (--no-label-model)'));
  assert.deepEqual(alone.quality?.agreement, modelled.quality!.agreement);
  const json = (c: LabelCheck) => (labelCheckJson(c).agreement as { disagreements: { line: number }[] }).disagreements.map((d) => d.line);
  assert.deepEqual(json(alone), json(modelled), 'the same lines');
  assert.ok(json(alone).includes(303), 'a row after the broken line keeps its own line');
  const row = modelled.quality!.agreement!.disagreements[5].row;
  assert.equal(alone.textOf!(row), modelled.textOf!(row), 'the report\'s text of a disagreeing row');
  // A file without annotators: no agreement, only why the model did not run.
  const plain = new TextEncoder().encode(JSON.stringify({ text: 'only one annotator here', label: 'x' }) + '\n');
  assert.deepEqual(run(agreementCheckSteps('p.jsonl', plain, config, 'why')), { notRun: 'why', findings: [], leftToConflicts: 0 });
});

const q = (run: { analysis: { labelQuality?: Record<string, unknown> } }) => run.analysis.labelQuality as { model: { ok: boolean; reason: string }; agreement: { cohensKappa: number } };

test('over the model\'s row limit: agreement is read from disk all the same', async () => {
  const config = parseConfig({}).config;
  const ruled = await analyzeFile(TWO, 'two-annotators.jsonl', config);
  // The gate reads the analysis' row count: a count over the limit stands for a file that big.
  const run = withLabelModel(TWO, { ...ruled, rows: LABEL_MODEL_MAX_ROWS + 1 }, config);
  assert.equal(run.check, undefined, 'no model');
  assert.equal(run.agreementOnly?.notRun, q(run).model.reason);
  assert.match(q(run).model.reason, /^skipped: 200,001 rows is over the 200,000 modelled by default/);
  assert.ok(close(q(run).agreement.cohensKappa, 3 / 7));
});

test('the editor\'s report (Tuneset: Show Report) with the rule off: the section gives agreement, and none for a file without annotators', async () => {
  const off = parseConfig({ rules: { 'possible-label-error': 'off' } }).config;
  const held = analyzeDataset(TWO, readFileSync(TWO), off);
  const report = await fileReport(TWO, held, undefined, off, async () => undefined);
  assert.equal(report.labelQuality?.notRun, 'possible-label-error is turned off');
  assert.ok(close(report.labelQuality!.agreement!.cohensKappa, 3 / 7));
  assert.deepEqual(report.labelQuality!.agreement!.disagreementRows!.map((r) => [r.line, r.text]), [[3, 'The box was fine, the charger inside was not.'], [6, 'It stopped charging after a week of use.'], [8, 'Ordered on Tuesday, it is a grey model.']]);
  const plainText = ['a', 'b'].map((l, i) => JSON.stringify({ text: `row number ${i} of the file`, label: l })).join('\n') + '\n';
  const plainHeld = analyzeDataset('plain.jsonl', new TextEncoder().encode(plainText), off);
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-agreement-'));
  try {
    assert.equal((await fileReport(join(dir, 'plain.jsonl'), plainHeld, plainText, off, async () => undefined)).labelQuality, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('in the editor over tuneset.labelModelMaxRows: the summary (status bar tooltip) and the hover of a disagreeing row give the agreement', async () => {
  const client = await LspClient.inProcess({ debounceMs: 0, labelModelMaxRows: 0 });
  try {
    await client.initialize();
    await client.ready;
    const uri = 'untitled:two-annotators.jsonl';
    const done = client.notification<{ message: string }>('window/logMessage', (p) => /label model of two-annotators\.jsonl v1: not run/.test(p.message));
    client.open(uri, readFileSync(TWO, 'utf8'));
    await done;
    await client.diagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'annotator-disagreement'));
    const summary = await client.request<FileSummaryRequest.Result>(FileSummaryRequest.method, { uri });
    assert.equal(summary!.labelQuality, 'label model not run: turned off in the editor (tuneset.labelModelMaxRows is 0) · 2 annotators agree on 62.5% of 8 rows (consistency); Cohen\'s κ 0.43 (moderate); 3 rows with differing labels');
    // The hover away from the diagnostic's own range (the text, at character 2) lists the row's finding and the file's agreement.
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 2 } });
    // (Markdown: the sentence's dots and brackets escaped.)
    assert.ok(hover.contents.value.replace(/\\([\\.()_])/g, '$1').includes("File: 2 annotators agree on 62.5% of 8 rows (consistency); Cohen's κ 0.43 (moderate); 3 rows with differing labels"), hover.contents.value);
  } finally {
    await client.stop();
  }
});

test('the editor\'s sentence in Chinese', () => {
  const q = { model: { ok: false, reason: 'skipped (--no-label-model)' }, agreement: { rows: 6, annotators: 3, percentAgreement: 4 / 6, cohensKappa: null, fleissKappa: 5 / 9, strength: 'moderate', disagreements: [{}, {}] } };
  assert.equal(labelQualitySentence(q), 'label model not run: skipped (--no-label-model) · 3 annotators agree on 66.7% of 6 rows (consistency); Fleiss\' κ 0.56 (moderate); 2 rows with differing labels');
  const zh = labelQualitySentence(q, translator('zh-cn'))!;
  assert.match(zh, /^标签模型未运行：.* · 3 位标注者在 6 行中的 66\.7% 上一致（一致率）；Fleiss' κ 0\.56（.+）；2 行标签不一致$/);
});
