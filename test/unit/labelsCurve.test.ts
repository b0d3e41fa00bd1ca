import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finish } from '../../server/src/engine/analysis/steps';
import { curveVerdict, labelQuality, learningCurveOnSplit, labelQualityJson, rowUncertainty, rowsToLabelNext, type LearningCurvePoint } from '../../server/src/engine/labels';
import { generateLabelledTexts, generateMultiLabelTexts } from '../fixtures/labels/generate';

const curveOf = (rows: number, classes: number, topicShare: number, seed: number) => {
  const g = generateLabelledTexts(rows, classes, seed, topicShare);
  return finish(labelQuality({ texts: g.texts, labels: g.labels }, { rowsToLabel: false })).learningCurve!;
};

test('learning curve: with few, hard rows it still rises at 100% and says more data will help', () => {
  const curve = curveOf(1000, 5, 0.15, 1);
  assert.deepEqual(curve.points.map((p) => p.fraction), [0.1, 0.25, 0.5, 0.75, 1]);
  // Training rows: the shares of the 800 rows of the other four folds.
  assert.deepEqual(curve.points.map((p) => p.trainingRows), [81, 201, 402, 600, 800]);
  for (let k = 1; k < curve.points.length; k++) assert.ok(curve.points[k].macroF1 > curve.points[k - 1].macroF1, `macro-F1 should rise: ${curve.points.map((p) => p.macroF1)}`);
  // Measured: 0.355 at 10% to 0.696 at 100%.
  assert.ok(curve.points[4].macroF1 - curve.points[0].macroF1 > 0.2);
  assert.match(curve.verdict, /^still rising at 100% \(\+\d+\.\d points of macro-F1 from 75% to 100%\): more data is likely to help$/);
  assert.equal(curve.flatSince, undefined);
  for (const p of curve.points) assert.ok(p.accuracySpread >= 0 && p.macroF1Spread >= 0 && p.accuracy > 0.2 && p.accuracy <= 1);
});

test('learning curve: with many clear rows it is flat early and says so', () => {
  const curve = curveOf(6000, 2, 0.3, 1);
  assert.ok(curve.points[4].macroF1 > 0.95);
  assert.ok(curve.flatSince !== undefined && curve.flatSince <= 0.25, `flat since ${curve.flatSince}`);
  assert.match(curve.verdict, /^flat since (10|25)% \(macro-F1 9\d\.\d%\): more rows of the same kind are unlikely to help much$/);
});

test('curve verdicts from hand-made points', () => {
  const pts = (...f1: number[]): LearningCurvePoint[] => f1.map((macroF1, k) => ({ fraction: [0.1, 0.25, 0.5, 0.75, 1][k], trainingRows: 0, accuracy: macroF1, accuracySpread: 0, macroF1, macroF1Spread: 0 }));
  assert.equal(curveVerdict(pts(0.5, 0.6, 0.7, 0.75, 0.8)).verdict, 'still rising at 100% (+5.0 points of macro-F1 from 75% to 100%): more data is likely to help');
  const flat = curveVerdict(pts(0.5, 0.795, 0.8, 0.805, 0.8));
  assert.equal(flat.verdict, 'flat since 25% (macro-F1 80.0%): more rows of the same kind are unlikely to help much');
  assert.equal(flat.flatSince, 0.25);
  assert.equal(curveVerdict(pts(0.5, 0.6, 0.7, 0.8, 0.78)).verdict, 'falling at 100% (−2.0 points of macro-F1 from 75% to 100%): the added rows may be noisier than the rest');
  assert.equal(curveVerdict(pts(0.5, 0.6, 0.7, 0.795, 0.8)).flatSince, 0.75);
});

test('uncertainty: margin, entropy and least confidence on hand-computed probabilities', () => {
  const p = [0.5, 0.3, 0.2];
  assert.ok(Math.abs(rowUncertainty(p, 0, 3, false, 'margin') - 0.8) < 1e-12);
  assert.ok(Math.abs(rowUncertainty(p, 0, 3, false, 'least-confidence') - 0.5) < 1e-12);
  const h = -(0.5 * Math.log(0.5) + 0.3 * Math.log(0.3) + 0.2 * Math.log(0.2)) / Math.log(3);
  assert.ok(Math.abs(rowUncertainty(p, 0, 3, false, 'entropy') - h) < 1e-12);
  assert.equal(rowUncertainty([1, 0], 0, 2, false, 'entropy'), 0);
  // Multi-label: the most uncertain label decides (0.6 is 0.2 from a coin flip: margin 1 − 0.2 = 0.8).
  assert.ok(Math.abs(rowUncertainty([0.95, 0.6], 0, 2, true, 'margin') - 0.8) < 1e-12);
});

test('rows to label next: unlabelled rows that mix two topics come before clear ones, with the guess', () => {
  const g = generateLabelledTexts(1200, 2, 3);
  const labels: (string | null)[] = [...g.labels];
  const texts = [...g.texts];
  // 20 clear unlabelled rows (copies of labelled texts) and 10 that mix both topics half and half.
  const clear: number[] = [];
  const mixed: number[] = [];
  for (let k = 0; k < 20; k++) {
    clear.push(texts.length);
    texts.push(g.texts[k]);
    labels.push(null);
  }
  const a = g.texts.filter((_, i) => g.labels[i] === 'topic_a');
  const b = g.texts.filter((_, i) => g.labels[i] === 'topic_b');
  for (let k = 0; k < 10; k++) {
    mixed.push(texts.length);
    texts.push(`${a[k]} ${b[k]}`);
    labels.push(null);
  }
  const q = finish(labelQuality({ texts, labels }, { learningCurve: false, rowsToLabel: { n: 10 } }));
  const picks = q.rowsToLabel!;
  assert.equal(picks.length, 10);
  assert.ok(picks.filter((p) => mixed.includes(p.row)).length >= 8, `picks ${picks.map((p) => p.row)}`);
  for (let k = 1; k < picks.length; k++) assert.ok(picks[k].score <= picks[k - 1].score);
  const all = rowsToLabelNext(q.outOfFold!, { n: 1000 });
  assert.equal(all.length, 30, 'only unlabelled rows unless asked');
  for (const r of clear) assert.equal(all.find((p) => p.row === r)!.guess, g.labels[r - 1200]);
  assert.equal(rowsToLabelNext(q.outOfFold!, { n: 5, includeLabelled: true }).length, 5);
  // A weight of zero keeps a row off the top (density weighting by the host).
  const weights = new Float32Array(texts.length).fill(1);
  for (const m of mixed) weights[m] = 0;
  assert.ok(rowsToLabelNext(q.outOfFold!, { n: 10, weights }).every((p) => !mixed.includes(p.row)));
});

test('multi-label rows to label next guess label sets; the JSON form has no typed arrays', () => {
  const g = generateMultiLabelTexts(800, 3, 2);
  const labels: (string[] | null)[] = g.labels.map((l, i) => (i % 10 === 0 ? null : l));
  const q = finish(labelQuality({ texts: g.texts, labels }, { learningCurve: false, rowsToLabel: { n: 5, uncertainty: 'entropy' } }));
  assert.equal(q.rowsToLabel!.length, 5);
  for (const p of q.rowsToLabel!) {
    assert.equal(p.row % 10, 0);
    assert.ok(Array.isArray(p.guess));
  }
  const json = JSON.parse(JSON.stringify(labelQualityJson(q)));
  assert.equal(json.outOfFold, undefined);
  assert.equal(json.model.multiLabel, true);
  assert.deepEqual(json.model.labels, g.labelNames);
  assert.equal(json.model.unlabelledRows, 80);
});

test('label quality without a model still reports annotator agreement, and says why there is no model', () => {
  const q = finish(labelQuality({ texts: ['a', 'b'], labels: ['x', 'x'] }, { annotations: { ratings: [['x', 'y'], ['x', 'x']], annotators: ['p', 'q'] } }));
  assert.deepEqual(q.model, { ok: false, reason: "only one label ('x') among 2 labelled rows: there is nothing to tell apart" });
  assert.equal(q.agreement!.percentAgreement, 0.5);
  assert.equal(q.labelErrors, undefined);
});

test('learning curve on split files: learns from shares of train, scores on the held-out file', () => {
  const g = generateLabelledTexts(1500, 4, 6, 0.12);
  const train = { texts: g.texts.slice(0, 1200), labels: g.labels.slice(0, 1200) };
  const heldOut = { texts: g.texts.slice(1200), labels: [...g.labels.slice(1200, 1499), 'unknown label'] };
  const curve = finish(learningCurveOnSplit(train, heldOut));
  assert.ok(!('reason' in curve));
  if ('reason' in curve) return;
  // Each label's share is rounded on its own, so a share may be a row or two over.
  curve.points.forEach((p, k) => assert.ok(Math.abs(p.trainingRows - [120, 300, 600, 900, 1200][k]) <= 2, `${p.trainingRows}`));
  assert.ok(curve.points[4].macroF1 > curve.points[0].macroF1 + 0.15, `${curve.points.map((p) => p.macroF1)}`);
  assert.ok(curve.points[4].macroF1Spread < 1e-12, 'all of train is one sample');
  assert.match(curve.verdict, /^still rising at 100%/);
  assert.deepEqual(finish(learningCurveOnSplit(train, { texts: ['x'], labels: ['other'] })), {
    reason: "none of the held-out file's 1 rows has one of the training file's labels (topic_a, topic_b, topic_c, topic_d)",
  });
  assert.deepEqual(finish(learningCurveOnSplit({ texts: ['a'], labels: ['x'] }, heldOut)), { reason: "the training file: only one label ('x') among 1 labelled rows: there is nothing to tell apart" });
});
