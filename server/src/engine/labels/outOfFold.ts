import type { Steps } from '../steps';
import { within } from '../steps';
import { fitTemperature, sigmoidRow, softmaxRow } from './calibrate';
import { encodeLabels, LEFT_OUT, UNLABELLED, type LabelInput } from './dataset';
import { hashFeatures, type HashedFeatures } from './features';
import { stratifiedFolds } from './folds';
import { logisticScore, trainLogistic, LOGISTIC_DEFAULTS } from './logistic';
import { countRow, emptyCounts, nbModel, nbScore, type NbLabels } from './naiveBayes';

/** Settings of the label model; every one has a default. */
export interface LabelModelOptions {
  /** Folds of the out-of-fold predictions (default 5, at least 2). */
  folds?: number;
  /** Seed of the fold assignment and of every sample drawn later (default 1). */
  seed?: number;
  /** A label with fewer rows is left out of the model (default 10, at least 2). */
  minRowsPerLabel?: number;
  /** Hash buckets are 2^hashBits (default 18), fewer when there are many labels. */
  hashBits?: number;
  /** The classifier: multinomial naive Bayes (default) or logistic regression (slower; see the README). */
  classifier?: Classifier;
  /** Fit one temperature to the out-of-fold scores (default true); off gives naive Bayes' raw probabilities. */
  calibrate?: boolean;
}

export type Classifier = 'naive-bayes' | 'logistic';

export interface AppliedModelOptions {
  classifier: Classifier;
  folds: number;
  seed: number;
  minRowsPerLabel: number;
  hashBits: number;
  calibrate: boolean;
}

/** Out-of-fold predictions for every row the model could learn from. */
export interface OutOfFoldModel {
  multiLabel: boolean;
  /** The modelled labels, sorted; indexes below refer to them. */
  labels: string[];
  /** Rows per modelled label (multi-label: rows holding it). */
  labelCounts: number[];
  rows: number;
  /** Single-label: the given label's index, -1 unlabelled, -2 left out (its label has too few rows). Multi-label: 0 labelled, -1 unlabelled. */
  given: Int32Array;
  /** Multi-label only: present[row * labels.length + label]. */
  present?: Uint8Array;
  /** Each labelled row's fold, -1 for the others. */
  fold: Int8Array;
  /**
   * probabilities[row * labels.length + label]. Labelled rows: predicted by the model of the other
   * folds. Unlabelled and left-out rows: by the model of all labelled rows. Single-label rows sum to 1;
   * multi-label values are each label's own probability of being present.
   */
  probabilities: Float32Array;
  temperature: number;
  labelledRows: number;
  unlabelledRows: number;
  leftOut: { label: string; rows: number }[];
  options: AppliedModelOptions;
  /** The rows' hashed features, kept for the learning curve. */
  features: HashedFeatures;
}

/** The model's answer: predictions, or why it cannot make any. */
export type OutOfFoldResult = { ok: true; model: OutOfFoldModel } | { ok: false; reason: string };

const MAX_TABLE = 1 << 23;
const ROWS_PER_STEP = 8192;

/** Applies defaults and checks the settings; throws a RangeError naming a bad one. */
export function resolveModelOptions(options: LabelModelOptions = {}): AppliedModelOptions {
  const folds = options.folds ?? 5;
  const minRowsPerLabel = options.minRowsPerLabel ?? 10;
  const hashBits = options.hashBits ?? 18;
  if (!Number.isInteger(folds) || folds < 2 || folds > 100) throw new RangeError(`folds must be a whole number from 2 to 100 (got ${folds})`);
  if (!Number.isInteger(minRowsPerLabel) || minRowsPerLabel < 2) throw new RangeError(`minRowsPerLabel must be a whole number of at least 2 (got ${minRowsPerLabel})`);
  if (!Number.isInteger(hashBits) || hashBits < 8 || hashBits > 24) throw new RangeError(`hashBits must be a whole number from 8 to 24 (got ${hashBits})`);
  const classifier = options.classifier ?? 'naive-bayes';
  if (classifier !== 'naive-bayes' && classifier !== 'logistic') throw new RangeError(`classifier must be 'naive-bayes' or 'logistic' (got ${String(classifier)})`);
  return { classifier, folds, seed: options.seed ?? 1, minRowsPerLabel, hashBits, calibrate: options.calibrate ?? true };
}

/** The labels as naive Bayes counts them. */
export function nbLabels(model: Pick<OutOfFoldModel, 'multiLabel' | 'labels' | 'given' | 'present'>): NbLabels {
  return { multiLabel: model.multiLabel, labels: model.labels.length, given: model.given, present: model.present };
}

/**
 * Stratum of each labelled row for the folds: its label, or in a multi-label file its rarest label
 * (rows holding none of the modelled labels share one more stratum); -1 for rows not modelled.
 */
export function strataOf(model: Pick<OutOfFoldModel, 'multiLabel' | 'labels' | 'given' | 'present' | 'labelCounts'>): { strata: Int32Array; count: number } {
  const L = model.labels.length;
  const n = model.given.length;
  if (!model.multiLabel) return { strata: Int32Array.from(model.given, (g) => (g >= 0 ? g : -1)), count: L };
  const strata = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (model.given[i] < 0) {
      strata[i] = -1;
      continue;
    }
    let best = L;
    for (let l = 0; l < L; l++) if (model.present![i * L + l] && (best === L || model.labelCounts[l] < model.labelCounts[best])) best = l;
    strata[i] = best;
  }
  return { strata, count: L + 1 };
}

/**
 * Out-of-fold predicted probabilities from naive Bayes on hashed word and character n-gram features,
 * in steps (progress 0..1) a host can run in slices and stop between.
 */
export function* outOfFoldProbabilities(input: LabelInput, options: LabelModelOptions = {}): Steps<OutOfFoldResult> {
  const applied = resolveModelOptions(options);
  const encoded = encodeLabels(input, applied.minRowsPerLabel);
  if ('reason' in encoded) return { ok: false, reason: encoded.reason };
  if (encoded.labelledRows < applied.folds) {
    return { ok: false, reason: `${encoded.labelledRows} labelled rows are too few for ${applied.folds} folds` };
  }
  const L = encoded.names.length;
  const columns = encoded.multiLabel ? L + 1 : L;
  let bits = applied.hashBits;
  while (bits > 8 && (1 << bits) * columns > MAX_TABLE) bits--;
  const n = input.texts.length;
  const features = yield* within(hashFeatures(input.texts, bits), 0, 0.3);
  const base = { multiLabel: encoded.multiLabel, labels: encoded.names, labelCounts: encoded.counts, given: encoded.given, present: encoded.present };
  const labels = nbLabels(base);
  const { strata, count } = strataOf(base);
  const fold = stratifiedFolds(strata, count, applied.folds, applied.seed);

  const counts = emptyCounts(bits, labels);
  const labelled: number[] = [];
  const others: number[] = [];
  for (let i = 0; i < n; i++) {
    if (fold[i] >= 0) {
      countRow(counts, features, labels, i, 1);
      labelled.push(i);
    } else others.push(i);
    if ((i + 1) % ROWS_PER_STEP === 0) yield 0.3 + (0.1 * (i + 1)) / n;
  }
  const byFold: number[][] = Array.from({ length: applied.folds }, () => []);
  for (const i of labelled) byFold[fold[i]].push(i);

  const scores = new Float64Array(n * L);
  const held = emptyCounts(bits, labels);
  // Fold k is scored by the model of the other folds; a last round scores the unlabelled and
  // left-out rows with the model of every labelled row.
  const rounds = applied.folds + (others.length ? 1 : 0);
  for (let k = 0; k < rounds; k++) {
    const rows = k < applied.folds ? byFold[k] : others;
    if (applied.classifier === 'logistic') {
      const training = k < applied.folds ? labelled.filter((i) => fold[i] !== k) : labelled;
      const model = yield* within(trainLogistic(features, labels, training, { ...LOGISTIC_DEFAULTS, seed: applied.seed + k }), 0.4 + (0.55 * k) / rounds, 0.4 + (0.55 * (k + 0.9)) / rounds);
      for (const i of rows) logisticScore(model, features, i, scores);
      continue;
    }
    let model;
    if (k < applied.folds) {
      held.byFeature.fill(0);
      held.rows.fill(0);
      held.terms.fill(0);
      for (const i of rows) countRow(held, features, labels, i, 1);
      model = nbModel(counts, labels, held);
    } else model = nbModel(counts, labels);
    yield 0.4 + (0.55 * (k + 0.5)) / rounds;
    for (let r = 0; r < rows.length; r++) {
      nbScore(model, features, rows[r], scores);
      if ((r + 1) % (ROWS_PER_STEP * 4) === 0) yield 0.4 + (0.55 * (k + 0.5 + (0.5 * r) / rows.length)) / rounds;
    }
  }

  const temperature = applied.calibrate ? fitTemperature(scores, Int32Array.from(labelled), L, encoded.multiLabel, encoded.given, encoded.present) : 1;
  yield 0.97;
  const probabilities = new Float32Array(n * L);
  for (let i = 0; i < n; i++) {
    if (encoded.multiLabel) sigmoidRow(scores, i, L, temperature, probabilities);
    else softmaxRow(scores, i, L, temperature, probabilities);
  }
  return {
    ok: true,
    model: {
      ...base,
      rows: n,
      fold,
      probabilities,
      temperature,
      labelledRows: encoded.labelledRows,
      unlabelledRows: encoded.unlabelledRows,
      leftOut: encoded.leftOut,
      options: { ...applied, hashBits: bits },
      features,
    },
  };
}

export { UNLABELLED, LEFT_OUT };
