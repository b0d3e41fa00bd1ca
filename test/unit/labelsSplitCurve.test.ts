import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, splitLearningCurveSteps, type SplitLearningCurve } from '../../server/src/engine';
import { generateLabelledTexts } from '../fixtures/labels/generate';

/**
 * The report's learning curve across split files: with a training sibling, it is learned on the
 * training file and scored on a held-out one (the file itself when held out, else val, else test),
 * and says which files; otherwise it stays the file's own k-fold curve.
 */

const ROOT = join(__dirname, '..', '..');

function finish<T>(steps: Generator<number, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

const rowsOf = (texts: readonly string[], labels: readonly string[]) => texts.map((t, i) => JSON.stringify({ text: t, label: labels[i] })).join('\n') + '\n';
const bytes = (s: string) => new TextEncoder().encode(s);

/** A learnable set of 3 topics: 600 rows, the first 450 for training and the rest held out. */
function learnable() {
  const { texts, labels, labelNames } = generateLabelledTexts(600, 3, 11);
  return { train: rowsOf(texts.slice(0, 450), labels.slice(0, 450)), val: rowsOf(texts.slice(450), labels.slice(450)), texts, labels, labelNames };
}

test('learned on the training file, scored on the held-out file: its labels decide the score', () => {
  const { train, val, texts, labels, labelNames } = learnable();
  const file = (path: string, text: string) => ({ path, shown: path, bytes: bytes(text) });
  const curve: SplitLearningCurve = finish(splitLearningCurveSteps(file('d.train.jsonl', train), file('d.val.jsonl', val), DEFAULT_CONFIG));
  assert.equal(curve.reason, undefined);
  assert.deepEqual([curve.train, curve.heldOut], ['d.train.jsonl', 'd.val.jsonl']);
  const points = curve.curve!.points;
  assert.deepEqual(points.map((p) => p.fraction), [0.1, 0.25, 0.5, 0.75, 1]);
  assert.equal(points[4].trainingRows, 450, 'all of the training file at 100%, none of the held-out one');
  assert.ok(points[4].accuracy > 0.85, `held-out accuracy ${points[4].accuracy}`);
  assert.ok(points[4].macroF1 >= points[0].macroF1, 'more rows do not hurt on learnable data');
  // The same texts held out with every label rotated to another: a model of the training file now gets almost none right.
  const rotated = labels.slice(450).map((l) => labelNames[(labelNames.indexOf(l) + 1) % labelNames.length]);
  const wrong = finish(splitLearningCurveSteps(file('d.train.jsonl', train), file('d.val.jsonl', rowsOf(texts.slice(450), rotated)), DEFAULT_CONFIG));
  assert.ok(wrong.curve!.points[4].accuracy < 0.15, `scored against the held-out labels: ${wrong.curve!.points[4].accuracy}`);
  // A held-out file without a label the training file knows gives no curve, and says why.
  const none = finish(splitLearningCurveSteps(file('d.train.jsonl', train), file('d.val.jsonl', rowsOf(['a b c', 'd e f'], ['other', 'other'])), DEFAULT_CONFIG));
  assert.equal(none.curve, undefined);
  assert.match(none.reason!, /none of the held-out file's 2 rows has one of the training file's labels/);
  // A held-out file of a few rows (the samples' test.jsonl has 5) scores nothing worth a curve: the file's own folds are used.
  const few = finish(splitLearningCurveSteps(file('d.train.jsonl', train), file('d.val.jsonl', rowsOf(texts.slice(450, 479), labels.slice(450, 479))), DEFAULT_CONFIG));
  assert.equal(few.curve, undefined);
  assert.match(few.reason!, /the held-out file has 29 rows with one of the training file's labels, under the 30 a curve is scored on/);
});

test('tuneset report: the curve of split files names them (the training file scored on val; the test file scored on itself); a lone file keeps its k-fold curve', () => {
  const { train, val } = learnable();
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-split-curve-'));
  writeFileSync(join(dir, 'reviews.train.jsonl'), train);
  writeFileSync(join(dir, 'reviews.val.jsonl'), val);
  writeFileSync(join(dir, 'reviews.test.jsonl'), val.split('\n').slice(0, 60).join('\n') + '\n');
  writeFileSync(join(dir, 'alone.jsonl'), train);
  const report = (file: string, md: string) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tuneset.js'), 'report', file, '--md', md], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(join(dir, md), 'utf8');
  };
  const fromTrain = report('reviews.train.jsonl', 'train.md');
  assert.match(fromTrain, /^Learned on reviews\.train\.jsonl \(shares of its rows\), scored on reviews\.val\.jsonl\.$/m);
  assert.match(fromTrain, /^Learning curve: /m);
  assert.match(fromTrain, /^\| 100\.0% \| 450 \| /m, 'the training file\'s 450 rows at 100%');
  const fromTest = report('reviews.test.jsonl', 'test.md');
  assert.match(fromTest, /^Learned on reviews\.train\.jsonl \(shares of its rows\), scored on reviews\.test\.jsonl\.$/m);
  const alone = report('alone.jsonl', 'alone.md');
  assert.match(alone, /^Measured on 5 folds of this file: each scored by a model of shares of the others\.$/m);
  assert.doesNotMatch(alone, /Learned on/);
  // The summary says it too.
  const summary = spawnSync(process.execPath, [join(ROOT, 'bin', 'tuneset.js'), 'report', 'reviews.train.jsonl'], { cwd: dir, encoding: 'utf8' });
  assert.match(summary.stdout, /^ {2}learning curve: learned on reviews\.train\.jsonl, scored on reviews\.val\.jsonl: /m);
});
