import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  densityWeights, isMultiLabel, labelCheckJson, labelCheckSteps, labelEdits, labelQuality, outOfFoldProbabilities, parseConfig, renderReportMarkdown, suggestSteps,
  type Config, type LabelCheck, type SuggestOptions, type SuggestResult, type TextEdit,
} from '../../server/src/engine';
import { bucketBits } from '../../server/src/engine/labels/outOfFold';
import { makeReport } from '../../server/src/host/report';
import { generateLabelledTexts } from '../fixtures/labels/generate';

/**
 * Which rows to label next (`tuneset suggest`, engine rules/suggest.ts) and the label model's costs
 * and counts (#18): a fixture of 150 labelled product reviews followed by six rows without a label
 * (null, missing, "") among an invalid JSON line (153), a row that is an array (156) and a row
 * without a text (158). Those three look unlabelled to the model but can never be suggested.
 */

const ROOT = join(__dirname, '..', '..');
const FIXTURE = 'test/fixtures/labels/reviews-unlabelled.jsonl';
const FLIPPED = 'test/fixtures/labels/reviews-flipped.jsonl';
const UNLABELLED_LINES = [151, 152, 154, 155, 157, 159];
const UNREADABLE_LINES = [153, 156, 158];
const text = readFileSync(join(ROOT, FIXTURE), 'utf8');
const bytes = new TextEncoder().encode(text);

function config(settings: unknown = {}): Config {
  const { config, problems } = parseConfig(settings);
  assert.deepEqual(problems, []);
  return config;
}

function run<T>(steps: Generator<number, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

const suggest = (options: SuggestOptions = {}, source = bytes): SuggestResult => run(suggestSteps('reviews.jsonl', source, config(), options));

function tuneset(...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tuneset.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const lines = source.split('\n');
  // Last first, so earlier positions stay valid; every edit here sits on one line.
  for (const e of [...edits].sort((a, b) => b.line - a.line || b.column - a.column)) {
    assert.equal(e.line, e.endLine);
    const l = lines[e.line - 1];
    lines[e.line - 1] = l.slice(0, e.column - 1) + e.newText + l.slice(e.endColumn - 1);
  }
  return lines.join('\n');
}

test('rows to label next never lists unreadable rows or rows without a text (check JSON and suggest)', () => {
  const check = run(labelCheckSteps('reviews.jsonl', bytes, config(), {})) as LabelCheck;
  const json = labelCheckJson(check) as { rowsToLabel: { line: number }[] };
  assert.deepEqual(json.rowsToLabel.map((r) => r.line).sort((a, b) => a - b), UNLABELLED_LINES);
  const all = suggest({ all: true, n: 1000 });
  assert.equal(all.picks.length, 150 + UNLABELLED_LINES.length);
  for (const line of UNREADABLE_LINES) assert.ok(!all.picks.some((p) => p.line === line), `line ${line} is never suggested`);
});

test('suggest: unlabelled rows by default, most uncertain first, with the guess and every probability', () => {
  const r = suggest();
  assert.equal(r.unlabelledRows, 6);
  assert.deepEqual(r.labels, ['negative', 'positive']);
  assert.deepEqual(r.picks.map((p) => p.line).sort((a, b) => a - b), UNLABELLED_LINES);
  for (let i = 1; i < r.picks.length; i++) assert.ok(r.picks[i - 1].score >= r.picks[i].score);
  for (const p of r.picks) {
    assert.equal(p.label, null);
    const { negative, positive } = p.probabilities;
    assert.ok(Math.abs(negative + positive - 1) < 1e-3);
    assert.equal(p.guess, negative > positive ? 'negative' : 'positive');
    // Margin: 1 − (p₁ − p₂).
    assert.ok(Math.abs(p.score - (1 - Math.abs(negative - positive))) < 1e-3);
  }
  // A clear review is guessed right.
  assert.equal(r.picks.find((p) => p.line === 159)!.guess, 'negative');
  assert.equal(suggest({ n: 2 }).picks.length, 2);
  const entropy = suggest({ strategy: 'entropy' });
  assert.equal(entropy.strategy, 'entropy');
  for (const p of entropy.picks) assert.ok(p.score > 0 && p.score <= 1);
  // Labelled rows on request: they carry their label.
  const labelled = suggest({ all: true, n: 5 }).picks;
  assert.ok(labelled.some((p) => p.label !== null));
  assert.equal(suggest({}, new TextEncoder().encode('{"instruction": "a", "output": "b"}\n')).notRun, 'not a classification file (read as instruction)');
});

test('density weights: rows like many others weigh more than an outlier; no text weighs nothing', () => {
  const common = 'the kettle boils water quickly and quietly every morning';
  const texts = [...Array.from({ length: 20 }, (_, i) => `${common} ${i % 3 === 0 ? 'indeed' : 'today'}`), 'zebra quantum violin asteroid marmalade', ''];
  const w = densityWeights(texts);
  assert.ok(w[0] > 0.9 && w[0] <= 1, `dense row ${w[0]}`);
  assert.ok(w[20] < 0.5 * w[0], `outlier ${w[20]} against ${w[0]}`);
  assert.equal(w[21], 0);
  assert.deepEqual(densityWeights(texts), w, 'deterministic');
  // In the ranking: an unlabelled outlier the model is unsure of drops below a typical unsure row.
  const plain = suggest({ density: false, n: 6 });
  const dense = suggest({ density: true, n: 6 });
  assert.equal(dense.density, true);
  assert.deepEqual(dense.picks.map((p) => p.line).sort(), plain.picks.map((p) => p.line).sort());
  for (const p of dense.picks) assert.ok(p.score <= plain.picks.find((q) => q.line === p.line)!.score + 1e-9);
});

test('label edits: set a null, empty or missing label, as one list of edits; unreadable rows are named', () => {
  const choices = [{ line: 151, label: 'positive' }, { line: 152, label: 'negative' }, { line: 154, label: 'negative' }, { line: 153, label: 'negative' }, { line: 999, label: 'x' }];
  const { edits, problems } = labelEdits('reviews.jsonl', bytes, config(), choices);
  assert.equal(edits.length, 3);
  assert.deepEqual(problems, ['reviews.jsonl:153: the row cannot be read, so its label cannot be set', 'reviews.jsonl:999: no row starts on this line']);
  const lines = applyEdits(text, edits).split('\n');
  assert.deepEqual(JSON.parse(lines[150]), { text: 'The kettle works perfectly. I love it.', label: 'positive' });
  assert.deepEqual(JSON.parse(lines[151]), { text: 'The toaster broke after two days. Complete junk.', label: 'negative' });
  assert.deepEqual(JSON.parse(lines[153]), { text: 'The blender looks beautiful but broke after two days.', label: 'negative' });
  assert.equal(applyEdits(text, edits).split('\n').filter((l, i) => l !== text.split('\n')[i]).length, 3, 'nothing else changes');
  // Numbers stay numbers; CSV cells are written as CSV.
  const numbered = '{"text": "good", "label": 1}\n{"text": "bad", "label": null}\n';
  assert.equal(applyEdits(numbered, labelEdits('n.jsonl', new TextEncoder().encode(numbered), config(), [{ line: 2, label: '0' }]).edits), '{"text": "good", "label": 1}\n{"text": "bad", "label": 0}\n');
  const csv = 'text,label\ngood film,positive\n"bad, awful",\n';
  const csvEdits = labelEdits('c.csv', new TextEncoder().encode(csv), config(), [{ line: 3, label: 'negative' }]);
  assert.deepEqual(csvEdits.problems, []);
  assert.equal(applyEdits(csv, csvEdits.edits), 'text,label\ngood film,positive\n"bad, awful",negative\n');
});

test('a file is multi-label when most labelled rows hold lists; a stray list among single labels is left out and noted', () => {
  assert.equal(isMultiLabel(['a', 'b', ['a'], null]), false);
  assert.equal(isMultiLabel([['a'], ['b'], 'a', null, null]), true);
  const g = generateLabelledTexts(400, 2, 5);
  const labels: (string | string[])[] = [...g.labels];
  labels[3] = [];
  labels[7] = ['topic_a'];
  const m = run(outOfFoldProbabilities({ texts: g.texts, labels }));
  assert.ok(m.ok);
  assert.equal(m.model.multiLabel, false);
  assert.deepEqual([m.model.given[3], m.model.given[7]], [-2, -2]);
  assert.equal(m.model.labelledRows, 398);
  assert.equal(m.model.unlabelledRows, 0);
  assert.deepEqual(m.model.notes, ['2 rows hold a list of labels in a file of single labels: left out of the model']);
});

test('hash buckets scale with the texts; a file of few labelled rows gets no learning curve and says why', () => {
  assert.equal(bucketBits(['short text']), 10);
  assert.equal(bucketBits(Array.from({ length: 300 }, () => 'x'.repeat(60))), 16);
  assert.equal(bucketBits(Array.from({ length: 100_000 }, () => 'x'.repeat(300))), 18);
  const g = generateLabelledTexts(60, 2, 9);
  const q = run(labelQuality({ texts: g.texts, labels: g.labels }, { minRowsPerLabel: 5 }));
  assert.ok(q.model.ok);
  assert.equal(q.learningCurve, undefined);
  assert.ok(q.model.notes.includes('no learning curve: 60 labelled rows are too few (it needs 100)'));
  assert.ok(q.model.options.hashBits < 18, `bits ${q.model.options.hashBits}`);
  // Deterministic: the same rows give the same probabilities.
  const again = run(labelQuality({ texts: g.texts, labels: g.labels }, { minRowsPerLabel: 5 }));
  assert.deepEqual(again.outOfFold!.probabilities, q.outOfFold!.probabilities);
});

test('check JSON and the report count the same label errors (rows left to conflicting-labels apart)', async () => {
  // The flipped reviews plus line 202: line 7's text with its true label, so line 7 (a flip the model
  // finds) is a conflicting-labels error too and its label error is left to that rule.
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-agree-'));
  const fileName = join(dir, 'reviews.jsonl');
  const flippedText = readFileSync(join(ROOT, FLIPPED), 'utf8');
  writeFileSync(fileName, `${flippedText}${JSON.stringify({ text: 'The coffee grinder does exactly what I wanted. Five stars.', label: 'positive' })}\n`);
  const json = tuneset('check', fileName, '--format', 'json');
  const file = JSON.parse(json.out).files[0];
  const flagged = file.findings.filter((f: { rule: string }) => f.rule === 'possible-label-error').length;
  const q = file.labelQuality;
  assert.equal(q.findings, flagged);
  assert.ok(q.leftToConflicts >= 1, 'line 7 is left to conflicting-labels');
  assert.ok(!file.findings.some((f: { rule: string; line: number }) => f.rule === 'possible-label-error' && f.line === 7));
  assert.equal(q.labelErrors.noisyRows, flagged + q.leftToConflicts);
  const report = await makeReport(fileName, config());
  const section = report.labelQuality!;
  assert.equal(section.flaggedRows, flagged);
  assert.equal(section.candidateCount, flagged);
  assert.equal(section.leftToConflicts, q.leftToConflicts);
  assert.ok(!section.candidates.some((c) => c.line === 7));
  assert.equal(report.findings.find((f) => f.rule === 'possible-label-error')?.count, flagged);
  assert.match(tuneset('check', fileName).out, new RegExp(`\\(${flagged} of 202 rows flagged, ${q.leftToConflicts} left to conflicting-labels;`));
  assert.match(renderReportMarkdown(report), new RegExp(`: ${flagged} rows of 202 flagged \`possible-label-error\` \\(${q.leftToConflicts} more left to \`conflicting-labels\`\\);`));
});

test('tuneset suggest: JSON Lines on stdout or written whole to --out; refusals and bad options exit 2', () => {
  const r = tuneset('suggest', FIXTURE, '--n', '3');
  assert.equal(r.code, 0, r.err);
  const picks = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(picks.length, 3);
  assert.deepEqual(Object.keys(picks[0]), ['line', 'text', 'label', 'guess', 'probabilities', 'score']);
  for (const p of picks) assert.ok(UNLABELLED_LINES.includes(p.line));
  assert.match(r.err, /reviews-unlabelled\.jsonl: 3 rows to label next of 6 unlabelled rows \(margin\)/);

  const dir = mkdtempSync(join(tmpdir(), 'tuneset-suggest-'));
  const out = join(dir, 'picks.jsonl');
  const written = tuneset('suggest', FIXTURE, '--all', '--n', '10', '--strategy', 'least-confidence', '--density', '--out', out);
  assert.equal(written.code, 0, written.err);
  assert.equal(written.out, '');
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 10);
  for (const p of lines) assert.ok(!UNREADABLE_LINES.includes(p.line));
  assert.match(written.err, /10 rows to label next of 159 rows \(least-confidence, density-weighted\) written to /);
  assert.equal(tuneset('suggest', FIXTURE, '--out', out).code, 2, 'exists without --force');
  assert.match(tuneset('suggest', FIXTURE, '--out', out).err, /already exists; pass --force/);
  assert.equal(tuneset('suggest', FIXTURE, '--out', out, '--force').code, 0);
  assert.match(tuneset('suggest', FIXTURE, '--out', FIXTURE, '--force').err, /is an input of this command/);
  assert.match(tuneset('suggest', FIXTURE, '--out', dir).err, /is a folder/);
  assert.match(tuneset('suggest', FIXTURE, '--strategy', 'random').err, /--strategy must be margin, entropy, least-confidence, not "random"/);
  assert.match(tuneset('suggest', FIXTURE, '--n', '0').err, /--n must be a whole number of at least 1/);
  const plain = join(dir, 'plain.jsonl');
  writeFileSync(plain, '{"instruction": "a", "output": "b"}\n');
  const notRun = tuneset('suggest', plain);
  assert.equal(notRun.code, 2);
  assert.match(notRun.err, /plain\.jsonl: the label model cannot rank rows: not a classification file/);
  const help = tuneset('suggest', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: tuneset suggest FILE/);
  assert.match(tuneset('--help').out, /\n {2}suggest {3}The rows to label next/);
  // Every row labelled: nothing to suggest, and the summary says what to do.
  const none = tuneset('suggest', FLIPPED);
  assert.equal(none.code, 0);
  assert.equal(none.out, '');
  assert.match(none.err, /every readable row has a label; --all ranks labelled rows too/);
});
