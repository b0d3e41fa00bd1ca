import type { Steps } from '../analysis/steps';
import { within } from '../analysis/steps';
import { stratifiedPrefix } from './folds';
import { logisticScore, trainLogistic, LOGISTIC_DEFAULTS } from './logistic';
import { countRow, emptyCounts, nbModel, nbScore } from './naiveBayes';
import { encodeLabels, encodeWithNames, type LabelInput } from './dataset';
import { hashFeatures } from './features';
import { nbLabels, resolveModelOptions, strataOf, type Classifier, type LabelModelOptions, type OutOfFoldModel } from './outOfFold';

/**
 * A learning curve: for each fold in turn, the model learns from a growing stratified share of the
 * other folds' rows (each share holds the smaller ones) and is scored on the fold it did not see.
 * Scores are against the given labels, so label noise lowers them all alike.
 */
export interface LearningCurvePoint {
  /** Share of the training folds' rows used, 0..1. */
  fraction: number;
  /** Mean number of training rows over the folds. */
  trainingRows: number;
  /** Mean over the folds, and their standard deviation. Multi-label accuracy is exact-set accuracy. */
  accuracy: number;
  accuracySpread: number;
  macroF1: number;
  macroF1Spread: number;
}

export interface LearningCurve {
  points: LearningCurvePoint[];
  /** Whether more data would likely still help, in words. */
  verdict: string;
  /** Macro-F1 gained from the last-but-one to the last point. */
  lastGain: number;
  /** The smallest share from which every later point is within a point of macro-F1 of the last, when not still rising. */
  flatSince?: number;
}

export const CURVE_FRACTIONS = [0.1, 0.25, 0.5, 0.75, 1];

const ROWS_PER_STEP = 8192;

/** Gains of at least this much macro-F1 over the last step count as still rising. */
const RISING = 0.01;

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const spread = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
};

/** Accuracy and macro-F1 of the best guesses for `rows` against their given labels. */
export function scoreRows(model: Pick<OutOfFoldModel, 'multiLabel' | 'labels' | 'given' | 'present'>, scores: Float64Array, rows: readonly number[]): { accuracy: number; macroF1: number } {
  const L = model.labels.length;
  const tp = new Float64Array(L);
  const fp = new Float64Array(L);
  const fn = new Float64Array(L);
  let correct = 0;
  for (const i of rows) {
    if (model.multiLabel) {
      let exact = true;
      for (let l = 0; l < L; l++) {
        const guess = scores[i * L + l] > 0;
        const truth = model.present![i * L + l] === 1;
        if (guess && truth) tp[l]++;
        else if (guess) fp[l]++;
        else if (truth) fn[l]++;
        if (guess !== truth) exact = false;
      }
      if (exact) correct++;
      continue;
    }
    let best = 0;
    for (let c = 1; c < L; c++) if (scores[i * L + c] > scores[i * L + best]) best = c;
    const truth = model.given[i];
    if (best === truth) {
      correct++;
      tp[best]++;
    } else {
      fp[best]++;
      fn[truth]++;
    }
  }
  const f1s: number[] = [];
  for (let c = 0; c < L; c++) if (2 * tp[c] + fp[c] + fn[c] > 0) f1s.push((2 * tp[c]) / (2 * tp[c] + fp[c] + fn[c]));
  return { accuracy: rows.length ? correct / rows.length : 0, macroF1: f1s.length ? mean(f1s) : 0 };
}

const percent = (f: number) => `${Math.round(f * 100)}%`;
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;

/** The plain sentence: still rising, rising slowly, flat since some share, or falling. */
export function curveVerdict(curve: readonly LearningCurvePoint[]): { verdict: string; lastGain: number; flatSince?: number } {
  const last = curve[curve.length - 1];
  const before = curve[curve.length - 2];
  if (!before) return { verdict: 'one point only: no trend to read', lastGain: 0 };
  const lastGain = last.macroF1 - before.macroF1;
  const from = `from ${percent(before.fraction)} to ${percent(last.fraction)}`;
  if (lastGain >= RISING) {
    return { verdict: `still rising at ${percent(last.fraction)} (${points(lastGain)} points of macro-F1 ${from}): more data is likely to help`, lastGain };
  }
  if (lastGain <= -RISING) {
    return { verdict: `falling at ${percent(last.fraction)} (${points(lastGain)} points of macro-F1 ${from}): the added rows may be noisier than the rest`, lastGain };
  }
  let k = curve.length - 1;
  while (k > 0 && Math.abs(curve[k - 1].macroF1 - last.macroF1) < RISING) k--;
  const flatSince = curve[k].fraction;
  return { verdict: `flat since ${percent(flatSince)} (macro-F1 ${(last.macroF1 * 100).toFixed(1)}%): more rows of the same kind are unlikely to help much`, lastGain, flatSince };
}

/** The labels and features a curve needs (an out-of-fold model, or train and held-out rows together). */
type CurveData = Pick<OutOfFoldModel, 'multiLabel' | 'labels' | 'labelCounts' | 'given' | 'present' | 'features' | 'rows'> & { classifier: 'naive-bayes' | 'logistic' };

/** One evaluation: learn from growing shares of `training`, score `test`. */
interface Evaluation {
  training: number[];
  test: number[];
  seed: number;
}

/** Points of a curve, each the mean and spread over the evaluations. */
function* curvePoints(data: CurveData, evaluations: readonly Evaluation[], fractions: readonly number[]): Steps<LearningCurve> {
  const { features } = data;
  const L = data.labels.length;
  const labels = nbLabels(data);
  const { strata, count } = strataOf(data);
  const scores = new Float64Array(data.rows * L);
  const counts = data.classifier === 'naive-bayes' ? emptyCounts(features.bits, labels) : undefined;
  const results = fractions.map(() => ({ accuracy: [] as number[], macroF1: [] as number[], rows: [] as number[] }));
  const rounds = evaluations.length * fractions.length;
  for (let k = 0; k < evaluations.length; k++) {
    const { training, test, seed } = evaluations[k];
    for (let p = 0; p < fractions.length; p++) {
      const round = k * fractions.length + p;
      const sample = stratifiedPrefix(training, strata, count, fractions[p], seed);
      const at = (part: number) => (round + part) / rounds;
      if (counts) {
        counts.byFeature.fill(0);
        counts.rows.fill(0);
        counts.terms.fill(0);
        for (let r = 0; r < sample.length; r++) {
          countRow(counts, features, labels, sample[r], 1);
          if ((r + 1) % ROWS_PER_STEP === 0) yield at((0.4 * r) / sample.length);
        }
        const nb = yield* within(nbModel(counts, labels), at(0.4), at(0.7));
        for (let r = 0; r < test.length; r++) {
          nbScore(nb, features, test[r], scores);
          if ((r + 1) % (ROWS_PER_STEP * 2) === 0) yield at(0.7 + (0.3 * r) / test.length);
        }
      } else {
        const lr = yield* within(trainLogistic(features, labels, sample, { ...LOGISTIC_DEFAULTS, seed }), round / rounds, (round + 1) / rounds);
        for (const i of test) logisticScore(lr, features, i, scores);
      }
      const { accuracy, macroF1 } = scoreRows(data, scores, test);
      results[p].accuracy.push(accuracy);
      results[p].macroF1.push(macroF1);
      results[p].rows.push(sample.length);
      yield (round + 1) / rounds;
    }
  }
  const curve = fractions.map((fraction, p) => ({
    fraction,
    trainingRows: Math.round(mean(results[p].rows)),
    accuracy: mean(results[p].accuracy),
    accuracySpread: spread(results[p].accuracy),
    macroF1: mean(results[p].macroF1),
    macroF1Spread: spread(results[p].macroF1),
  }));
  return { points: curve, ...curveVerdict(curve) };
}

/** Builds the learning curve on the out-of-fold model's folds (each fold held out in turn), in steps. */
export function* learningCurve(model: OutOfFoldModel, fractions: readonly number[] = CURVE_FRACTIONS): Steps<LearningCurve> {
  const { fold, options } = model;
  const byFold: number[][] = Array.from({ length: options.folds }, () => []);
  for (let i = 0; i < fold.length; i++) if (fold[i] >= 0) byFold[fold[i]].push(i);
  const evaluations = byFold.map((test, k) => ({ training: byFold.flatMap((rows, f) => (f === k ? [] : rows)), test, seed: options.seed + 7919 * (k + 1) }));
  return yield* curvePoints({ ...model, classifier: curveClassifier(options.classifier) }, evaluations, fractions);
}

/**
 * The ensemble's curve is naive Bayes' alone: a curve trains 25 models, naive Bayes is ~5x cheaper,
 * and what the curve says is its shape (whether more rows still help), not the last point of accuracy.
 */
const curveClassifier = (c: Classifier): 'naive-bayes' | 'logistic' => (c === 'logistic' ? 'logistic' : 'naive-bayes');

/** How many differently seeded samples of each share a split's curve averages (100% is one sample). */
const SPLIT_REPEATS = 3;

/**
 * A learning curve for split files: learn from growing shares of the training file, score on the
 * held-out file (validation or test). Spreads are over three seeded samples of each share. Labels
 * the training file lacks (or has too few rows of) are not scored.
 */
/** Held-out rows (with a training label) below which the curve across split files is not scored. */
export const MIN_SPLIT_HELD_OUT = 30;

export function* learningCurveOnSplit(train: LabelInput, heldOut: LabelInput, options: LabelModelOptions = {}, fractions: readonly number[] = CURVE_FRACTIONS): Steps<LearningCurve | { reason: string }> {
  const applied = resolveModelOptions(options);
  const encoded = encodeLabels(train, applied.minRowsPerLabel);
  if ('reason' in encoded) return { reason: `the training file: ${encoded.reason}` };
  const held = encodeWithNames(heldOut.labels, encoded.names, encoded.multiLabel);
  if (held.modelled === 0) return { reason: `none of the held-out file's ${heldOut.texts.length} rows has one of the training file's labels (${encoded.names.join(', ')})` };
  const n = train.texts.length;
  const L = encoded.names.length;
  const features = yield* within(hashFeatures([...train.texts, ...heldOut.texts], applied.hashBits), 0, 0.2);
  const given = new Int32Array(n + heldOut.texts.length);
  given.set(encoded.given);
  given.set(held.given, n);
  let present: Uint8Array | undefined;
  if (encoded.multiLabel) {
    present = new Uint8Array(given.length * L);
    present.set(encoded.present!);
    present.set(held.present!, n * L);
  }
  const training: number[] = [];
  const test: number[] = [];
  given.forEach((g, i) => g >= 0 && (i < n ? training : test).push(i));
  // A handful of held-out rows moves macro-F1 by whole points per row: the file's own folds say more.
  if (test.length < MIN_SPLIT_HELD_OUT) return { reason: `the held-out file has ${test.length} rows with one of the training file's labels, under the ${MIN_SPLIT_HELD_OUT} a curve is scored on` };
  // Samples are drawn from the training rows only; the held-out rows are scored against their own labels.
  const data: CurveData = { multiLabel: encoded.multiLabel, labels: encoded.names, labelCounts: encoded.counts, given, present, features, rows: given.length, classifier: curveClassifier(applied.classifier) };
  const evaluations = Array.from({ length: SPLIT_REPEATS }, (_, r) => ({ training, test, seed: applied.seed + 7919 * (r + 1) }));
  return yield* within(curvePoints(data, evaluations, fractions), 0.2, 1);
}
