import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analyzeDataset, buildReport, labelCheckSteps, parseConfig, renderReportMarkdown, withExtraFindings, type Config, type Finding, type LabelCheck,
} from '../../server/src/engine';
import { analyze, applyTextEdits as applyEdits, jsonl, ofRule } from './helpers';

/**
 * possible-label-error end to end: the engine's label check over a file (rules/labelErrors.ts), its
 * quick fix, the CLI's check (JSON, text, SARIF), and the report's "Label quality" section, on a
 * small set of product reviews in which five labels were flipped on purpose (lines 7, 34, 71, 123,
 * 160: e.g. "The coffee grinder does exactly what I wanted. Five stars." labelled negative) and line
 * 101 repeats line 3's text with the other label (a conflicting-labels error).
 */

const ROOT = join(__dirname, '..', '..');
const FIXTURE = 'test/fixtures/labels/reviews-flipped.jsonl';
const FLIPPED_LINES = [7, 34, 71, 123, 160];
const text = readFileSync(join(ROOT, FIXTURE), 'utf8');
const bytes = new TextEncoder().encode(text);

function config(settings: unknown = {}): Config {
  const { config, problems } = parseConfig(settings);
  assert.deepEqual(problems, []);
  return config;
}

function labelCheck(source: string, settings: unknown = {}, findings?: Finding[], fixes = true): LabelCheck {
  const steps = labelCheckSteps('reviews.jsonl', new TextEncoder().encode(source), config(settings), { fixes, ...(findings ? { findings } : {}) });
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    assert.ok(step.value >= 0 && step.value <= 1, 'progress stays within 0..1');
  }
}

test('possible-label-error flags planted flips only, names the suggested label and both probabilities, most doubtful first', () => {
  const check = labelCheck(text);
  assert.equal(check.notRun, undefined);
  const lines = check.findings.map((f) => f.line);
  assert.ok(lines.length >= 3, `found ${lines.length} of the 5 flips`);
  for (const line of lines) assert.ok(FLIPPED_LINES.includes(line), `line ${line} is no planted flip`);
  const grinder = check.findings.find((f) => f.line === 7)!;
  assert.equal(grinder.severity, 'info');
  assert.match(grinder.message, /^The label "negative" looks wrong: a model of the other rows gives "positive" (0\.\d\d|>0\.99) and "negative" (0\.\d\d|<0\.01); relabel as "positive"\?$/);
  assert.equal(grinder.data?.suggested, 'positive');
  // The finding points at the label's value.
  assert.equal(text.split('\n')[6].slice(grinder.column - 1, grinder.endColumn - 1), '"negative"');
  const ranks = check.findings.map((f) => f.data?.rank as number).sort((a, b) => a - b);
  assert.deepEqual(ranks, ranks.map((_, i) => i + 1));
  // The same seed, the same findings; the rule pass alone never makes one (it is not a rule of the pass).
  assert.deepEqual(labelCheck(text).findings, check.findings);
  assert.deepEqual(ofRule(analyze(text, 'reviews.jsonl'), 'possible-label-error'), []);
});

test('the quick fix relabels the row, and the relabelled row is not flagged again', () => {
  const check = labelCheck(text);
  const fix = check.findings.find((f) => f.line === 7)!.fix!;
  assert.equal(fix.title, 'Relabel as "positive"');
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed.split('\n')[6], '{"text": "The coffee grinder does exactly what I wanted. Five stars.", "label": "positive"}');
  assert.equal(fixed.split('\n').filter((l, i) => l !== text.split('\n')[i]).length, 1, 'one line changed');
  const again = labelCheck(fixed);
  assert.ok(!again.findings.some((f) => f.line === 7), 'line 7 is flagged again after its fix');
  // Every fix applied at once leaves none of those rows flagged.
  const all = applyEdits(text, check.findings.flatMap((f) => f.fix!.edits));
  const after = labelCheck(all).findings.map((f) => f.line);
  for (const f of check.findings) assert.ok(!after.includes(f.line), `line ${f.line} flagged again`);
});

test('a number label is relabelled as a number, a CSV label as a CSV field', () => {
  const rows = text.trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: string });
  const numbered = jsonl(...rows.map((r) => ({ text: r.text, label: r.label === 'positive' ? 1 : 0 })));
  const fix = labelCheck(numbered).findings.find((f) => f.line === 7)!.fix!;
  assert.equal(applyEdits(numbered, fix.edits).split('\n')[6], JSON.stringify({ text: rows[6].text, label: 1 }));
  const csv = 'text,label\n' + rows.map((r) => `"${r.text}",${r.label}`).join('\n') + '\n';
  const steps = labelCheckSteps('reviews.csv', new TextEncoder().encode(csv), config(), { fixes: true });
  let step = steps.next();
  while (!step.done) step = steps.next();
  const csvFix = step.value.findings.find((f) => f.line === 8)!.fix!;
  assert.equal(applyEdits(csv, csvFix.edits).split('\n')[7], `"${rows[6].text}",positive`);
});

test('rows flagged conflicting-labels keep that finding and are not reported twice', () => {
  const alone = labelCheck(text);
  const line = alone.findings[0].line;
  const conflict: Finding = { rule: 'conflicting-labels', severity: 'error', message: 'conflict', line, column: 1, endLine: line, endColumn: 5 };
  const check = labelCheck(text, {}, [conflict]);
  assert.ok(!check.findings.some((f) => f.line === line));
  assert.equal(check.leftToConflicts, 1);
  assert.equal(check.findings.length, alone.findings.length - 1);
  // On the file as it is: no row carries both rules.
  const a = analyzeDataset('reviews.jsonl', bytes, config());
  const conflicts = ofRule(a, 'conflicting-labels').map((f) => f.line);
  assert.deepEqual(conflicts, [3, 101]);
  const merged = withExtraFindings(a, labelCheck(text, {}, a.findings).findings);
  for (const f of ofRule(merged, 'possible-label-error')) assert.ok(!conflicts.includes(f.line));
  assert.equal(merged.summary['possible-label-error'], ofRule(merged, 'possible-label-error').length);
});

test('the label check says why it does not run', () => {
  assert.equal(labelCheck(text, { rules: { 'possible-label-error': 'off' } }).notRun, 'possible-label-error is turned off');
  assert.match(labelCheck(jsonl({ instruction: 'say hi', output: 'hi' }, { instruction: 'say bye', output: 'bye' })).notRun!, /not a classification file \(read as instruction\)/);
  const few = jsonl(...Array.from({ length: 12 }, (_, i) => ({ text: `review number ${i} of the kettle`, label: i < 9 ? 'positive' : 'negative' })));
  assert.match(labelCheck(few).notRun!, /fewer than 2 labels have at least 10 rows \(negative: 3, positive: 9\)/);
  assert.equal(labelCheck(few, { labelModelMinRowsPerLabel: 3 }).notRun, undefined);
});

test('the report has a Label quality section: noise ratio, confusion, candidates with their texts, learning curve', () => {
  const a = analyzeDataset('reviews.jsonl', bytes, config());
  const check = labelCheck(text, {}, a.findings, false);
  const report = buildReport(withExtraFindings(a, check.findings), { labelCheck: check });
  const q = report.labelQuality!;
  assert.equal(q.labels.join(), 'negative,positive');
  assert.equal(q.noisyRows, check.findings.length + check.leftToConflicts);
  assert.equal(q.checkedRows, 201);
  // Given x likely true: every labelled row is in it once (rounded), the flips off the diagonal.
  assert.equal(q.confusion!.flat().reduce((s, v) => s + v, 0), 201);
  assert.ok(q.confusion![0][1] + q.confusion![1][0] >= 3);
  const grinder = q.candidates.find((c) => c.line === 7)!;
  assert.equal(grinder.text, 'The coffee grinder does exactly what I wanted. Five stars.');
  assert.equal(grinder.suggested, 'positive');
  assert.equal(q.learningCurve!.points.map((p) => p.fraction).join(), '0.1,0.25,0.5,0.75,1');
  assert.ok(q.learningCurve!.verdict.length > 0);
  const md = renderReportMarkdown(report);
  assert.match(md, /## Label quality\n\nNoise ratio \*\*\d+\.\d%\*\*: \d rows of 201 flagged `possible-label-error`/);
  assert.match(md, /\| 7 \| The coffee grinder does exactly what I wanted\. Five stars\. \| negative \| positive \|/);
  assert.match(md, /Learning curve: /);
  // possible-label-error is among the report's rules.
  assert.equal(report.findings.find((f) => f.rule === 'possible-label-error')?.count, check.findings.length);
});

const CLI = join(ROOT, 'bin', 'tuneset.js');

function tuneset(...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('tuneset check: JSON gains labelQuality, text a summary line, SARIF the findings; --no-label-model skips the model', () => {
  const json = tuneset('check', FIXTURE, '--format', 'json');
  assert.equal(json.code, 1, 'the conflicting labels are errors');
  const file = JSON.parse(json.out).files[0];
  const flagged = file.findings.filter((f: Finding) => f.rule === 'possible-label-error').map((f: Finding) => f.line);
  assert.ok(flagged.length >= 3);
  for (const line of flagged) assert.ok(FLIPPED_LINES.includes(line));
  const q = file.labelQuality;
  assert.equal(q.model.ok, true);
  assert.deepEqual(q.model.labels, ['negative', 'positive']);
  assert.equal(q.model.options.folds, 5);
  assert.equal(q.labelErrors.checkedRows, 201);
  assert.equal(q.labelErrors.noiseRatio, q.labelErrors.noisyRows / 201);
  assert.ok(q.labelErrors.estimatedNoiseRatio > 0 && q.labelErrors.estimatedNoiseRatio < 0.1);
  assert.equal(q.labelErrors.confidentJoint.length, 2);
  assert.deepEqual(q.labelErrors.candidates.map((c: { line: number }) => c.line).filter((l: number) => !flagged.includes(l)), q.leftToConflicts ? [101] : []);
  assert.equal(q.learningCurve.points.length, 5);
  assert.deepEqual(q.rowsToLabel, [], 'every row has a label');
  assert.equal(file.summary['possible-label-error'], flagged.length);
  assert.equal(file.stats.findingsBySeverity.info, flagged.length);

  const txt = tuneset('check', FIXTURE);
  assert.match(txt.out, /reviews-flipped\.jsonl:7:\d+ info possible-label-error The label "negative" looks wrong/);
  assert.match(txt.out, /\n {2}label model: noise ratio \d+\.\d% \(\d of 201 rows flagged; estimated \d+\.\d% of labels wrong\)\n {2}learning curve: /);

  const sarif = JSON.parse(tuneset('check', FIXTURE, '--format', 'sarif').out);
  const results = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'possible-label-error');
  assert.equal(results.length, flagged.length);

  const skipped = tuneset('check', FIXTURE, '--format', 'json', '--no-label-model');
  const s = JSON.parse(skipped.out).files[0];
  assert.equal(s.findings.filter((f: Finding) => f.rule === 'possible-label-error').length, 0);
  assert.deepEqual(s.labelQuality, { model: { ok: false, reason: 'skipped (--no-label-model)' } });
  assert.match(tuneset('check', FIXTURE, '--no-label-model').out, /label model: not run: skipped \(--no-label-model\)/);
});

test('tuneset check: the label model\'s settings come from tuneset.json, and a file it cannot learn says why', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-labelq-'));
  writeFileSync(join(dir, 'few.jsonl'), jsonl(...Array.from({ length: 30 }, (_, i) => ({ text: `review ${i} of the kettle and the toaster`, label: i < 25 ? 'positive' : 'negative' }))));
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', 'few.jsonl', '--format', 'json', ...args], { cwd: dir, encoding: 'utf8' });
  const q = JSON.parse(run().stdout).files[0].labelQuality;
  assert.equal(q.model.ok, false);
  assert.match(q.model.reason, /fewer than 2 labels have at least 10 rows/);
  writeFileSync(join(dir, 'tuneset.json'), JSON.stringify({ labelModelMinRowsPerLabel: 5, labelModelFolds: 3, labelModelSeed: 7 }));
  const set = JSON.parse(run().stdout).files[0].labelQuality;
  assert.equal(set.model.ok, true);
  assert.deepEqual([set.model.options.minRowsPerLabel, set.model.options.folds, set.model.options.seed], [5, 3, 7]);
  writeFileSync(join(dir, 'tuneset.json'), JSON.stringify({ rules: { 'possible-label-error': 'off' } }));
  assert.deepEqual(JSON.parse(run().stdout).files[0].labelQuality, { model: { ok: false, reason: 'possible-label-error is turned off' } });
});

test('tuneset report: the HTML page carries the Label quality section and the Markdown card shows it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-labelq-report-'));
  const r = spawnSync(process.execPath, [CLI, 'report', join(ROOT, FIXTURE), '--html', join(dir, 'r.html'), '--md', join(dir, 'r.md')], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(join(dir, 'r.html'), 'utf8');
  const data = JSON.parse(html.match(/<script type="application\/json" id="report-data">(.*?)<\/script>/s)![1]);
  assert.ok(data.labelQuality.candidates.some((c: { line: number }) => c.line === 7));
  assert.match(readFileSync(join(dir, 'r.md'), 'utf8'), /## Label quality/);
  assert.match(r.stdout + readFileSync(join(dir, 'r.md'), 'utf8'), /Learning curve/);
});

test('a model no better than guessing the commonest label reports no label error, and says why', () => {
  // Labels drawn at random, unrelated to the texts.
  const rows = text.trim().split('\n').map((l, i) => ({ text: (JSON.parse(l) as { text: string }).text, label: ['red', 'green', 'blue'][(i * 7919) % 3] }));
  const check = labelCheck(jsonl(...rows));
  assert.equal(check.notRun, undefined);
  assert.deepEqual(check.findings, []);
  assert.ok(check.skill!.accuracy < check.skill!.baseline + 0.05, `accuracy ${check.skill!.accuracy} against ${check.skill!.baseline}`);
  assert.match(check.withheld!, /^the model does no better than always guessing the commonest label \(held-out accuracy \d+\.\d% against \d+\.\d%\)/);
  // The reviews' real labels are learnt: their flips are reported.
  const learnt = labelCheck(text);
  assert.equal(learnt.withheld, undefined);
  assert.ok(learnt.skill!.accuracy > 0.9 && learnt.skill!.baseline < 0.55);
});

test('the command line models files of up to 200,000 rows by default, and any size when asked (--label-model)', async () => {
  const { withLabelModel, LABEL_MODEL_MAX_ROWS } = await import('../../server/src/host/labelModel');
  const file = join(ROOT, FIXTURE);
  const analysis = analyzeDataset(file, bytes, config());
  // The same file taken as a bigger one: the gate is on the row count, before any modelling.
  const big = { ...analysis, rows: LABEL_MODEL_MAX_ROWS + 1 };
  const skipped = withLabelModel(file, big, config());
  assert.equal(skipped.check, undefined);
  assert.match(String((skipped.analysis.labelQuality as { model: { reason: string } }).model.reason), /^skipped: 200,001 rows is over the 200,000 modelled by default .*--label-model runs it$/);
  const forced = withLabelModel(file, big, config(), { anySize: true });
  assert.ok(forced.check && forced.check.findings.length > 0);
});
