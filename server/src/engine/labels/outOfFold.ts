import type { Steps } from '../analysis/steps';
import { within } from '../analysis/steps';
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
  /**
   * Hash buckets are 2^hashBits (at most 18 by default: fewer for a small file, see bucketBits, and
   * when there are many labels).
   */
  hashBits?: number;
  /**
   * The classifier: 'ensemble' (default) averages the calibrated probabilities of multinomial naive
   * Bayes and logistic regression; each alone is also available ('naive-bayes' is ~5x faster).
   */
  classifier?: Classifier;
  /** Fit one temperature to the out-of-fold scores (default true); off gives naive Bayes' raw probabilities. */
  calibrate?: boolean;
}

export type Classifier = 'naive-bayes' | 'logistic' | 'ensemble';

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
  /** The temperature fitted to each classifier's out-of-fold scores (1 when calibration is off). */
  temperatures: Partial<Record<'naive-bayes' | 'logistic', number>>;
  /** What the model did differently from its settings, in words (e.g. too many labels for the ensemble). */
  notes: string[];
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
const ENSEMBLE_MAX_LABELS = 50;
const ROWS_PER_STEP = 8192;

/** Applies defaults and checks the settings; throws a RangeError naming a bad one. */
export function resolveModelOptions(options: LabelModelOptions = {}): AppliedModelOptions {
  const folds = options.folds ?? 5;
  const minRowsPerLabel = options.minRowsPerLabel ?? 10;
  const hashBits = options.hashBits ?? 18;
  if (!Number.isInteger(folds) || folds < 2 || folds > 100) throw new RangeError(`folds must be a whole number from 2 to 100 (got ${folds})`);
  if (!Number.isInteger(minRowsPerLabel) || minRowsPerLabel < 2) throw new RangeError(`minRowsPerLabel must be a whole number of at least 2 (got ${minRowsPerLabel})`);
  if (!Number.isInteger(hashBits) || hashBits < 8 || hashBits > 24) throw new RangeError(`hashBits must be a whole number from 8 to 24 (got ${hashBits})`);
  const classifier = options.classifier ?? 'ensemble';
  if (classifier !== 'naive-bayes' && classifier !== 'logistic' && classifier !== 'ensemble') {
    throw new RangeError(`classifier must be 'ensemble', 'naive-bayes' or 'logistic' (got ${String(classifier)})`);
  }
  return { classifier, folds, seed: options.seed ?? 1, minRowsPerLabel, hashBits, calibrate: options.calibrate ?? true };
}

/** Fewest and most hash bits a file's size picks (a setting may ask for 8 to 24). */
const MIN_AUTO_BITS = 10;
const MAX_AUTO_BITS = 18;

/**
 * Hash bits for a file's texts when the setting does not say: about two buckets per character of
 * text (a row's terms are a word and a bigram per ~6 characters, so this leaves most buckets to one
 * term), from 2^10 to 2^18. A few hundred short rows then get thousands of buckets, not 262,144 that
 * every one of the 25 models of a learning curve would walk; 100,000 rows of a few hundred
 * characters get 2^18 as before. It depends on the texts alone, so the result stays deterministic.
 */
export function bucketBits(texts: readonly string[]): number {
  let chars = 0;
  for (const t of texts) {
    chars += t.length;
    if (chars >= 1 << MAX_AUTO_BITS) return MAX_AUTO_BITS;
  }
  let bits = MIN_AUTO_BITS;
  while (bits < MAX_AUTO_BITS && 1 << bits < 2 * chars) bits++;
  return bits;
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
  let bits = options.hashBits ?? bucketBits(input.texts);
  while (bits > 8 && (1 << bits) * columns > MAX_TABLE) bits--;
  const n = input.texts.length;
  const features = yield* within(hashFeatures(input.texts, bits), 0, 0.3);
  const base = { multiLabel: encoded.multiLabel, labels: encoded.names, labelCounts: encoded.counts, given: encoded.given, present: encoded.present };
  const labels = nbLabels(base);
  const { strata, count } = strataOf(base);
  const fold = stratifiedFolds(strata, count, applied.folds, applied.seed);

  const labelled: number[] = [];
  const others: number[] = [];
  for (let i = 0; i < n; i++) (fold[i] >= 0 ? labelled : others).push(i);
  const byFold: number[][] = Array.from({ length: applied.folds }, () => []);
  for (const i of labelled) byFold[fold[i]].push(i);
  const split: FoldRows = { fold, labelled, others, byFold };

  const notes: string[] = [];
  if (encoded.oddRows) notes.push(`${encoded.oddRows} row${encoded.oddRows === 1 ? ' holds' : 's hold'} a list of labels in a file of single labels: left out of the model`);
  let classifier = applied.classifier;
  if (classifier === 'ensemble' && L > ENSEMBLE_MAX_LABELS) {
    // Logistic regression's time grows with the labels (each step updates every label's weights);
    // naive Bayes' counting does not.
    classifier = 'naive-bayes';
    notes.push(`${L} labels: naive Bayes alone (the ensemble adds logistic regression up to ${ENSEMBLE_MAX_LABELS} labels)`);
  }
  const kinds: ('naive-bayes' | 'logistic')[] = classifier === 'ensemble' ? ['naive-bayes', 'logistic'] : [classifier];
  // Naive Bayes takes about a fifth of the ensemble's time, logistic regression the rest.
  const share = classifier === 'ensemble' ? [0.15, 0.85] : [1];
  const probabilities = new Float32Array(n * L);
  const temperatures: Partial<Record<'naive-bayes' | 'logistic', number>> = {};
  let from = 0.3;
  for (let m = 0; m < kinds.length; m++) {
    const to = from + 0.7 * share[m];
    const scores = kinds[m] === 'naive-bayes' ? yield* within(naiveBayesScores(features, labels, split, n), from, to - 0.02) : yield* within(logisticScores(features, labels, split, n, applied.seed), from, to - 0.02);
    const temperature = applied.calibrate ? yield* within(fitTemperature(scores, Int32Array.from(labelled), L, encoded.multiLabel, encoded.given, encoded.present), to - 0.02, to - 0.01) : 1;
    temperatures[kinds[m]] = temperature;
    const own = new Float32Array(n * L);
    for (let i = 0; i < n; i++) {
      if (encoded.multiLabel) sigmoidRow(scores, i, L, temperature, own);
      else softmaxRow(scores, i, L, temperature, own);
      if ((i + 1) % (ROWS_PER_STEP * 4) === 0) yield to - 0.01;
    }
    for (let k = 0; k < own.length; k++) probabilities[k] += own[k] / kinds.length;
    from = to;
    yield from;
  }
  return {
    ok: true,
    model: {
      ...base,
      rows: n,
      fold,
      probabilities,
      temperatures,
      notes,
      labelledRows: encoded.labelledRows,
      unlabelledRows: encoded.unlabelledRows,
      leftOut: encoded.leftOut,
      options: { ...applied, hashBits: bits },
      features,
    },
  };
}

/** Which rows are in which fold, and which rows are scored by the model of all labelled rows. */
interface FoldRows {
  fold: Int8Array;
  labelled: number[];
  others: number[];
  byFold: number[][];
}

/**
 * Naive Bayes scores: fold k by the counts of all labelled rows minus fold k's; then the unlabelled
 * and left-out rows by the counts of every labelled row.
 */
function* naiveBayesScores(features: HashedFeatures, labels: NbLabels, split: FoldRows, n: number): Steps<Float64Array> {
  const counts = emptyCounts(features.bits, labels);
  for (let r = 0; r < split.labelled.length; r++) {
    countRow(counts, features, labels, split.labelled[r], 1);
    if ((r + 1) % ROWS_PER_STEP === 0) yield (0.2 * (r + 1)) / split.labelled.length;
  }
  yield 0.2;
  const L = labels.labels;
  const scores = new Float64Array(n * L);
  const held = emptyCounts(features.bits, labels);
  const folds = split.byFold.length;
  const rounds = folds + (split.others.length ? 1 : 0);
  const buckets = usedBuckets(features);
  for (let k = 0; k < rounds; k++) {
    const rows = k < folds ? split.byFold[k] : split.others;
    const at = (part: number) => 0.2 + (0.8 * (k + part)) / rounds;
    if (k < folds) {
      held.byFeature.fill(0);
      held.rows.fill(0);
      held.terms.fill(0);
      for (let r = 0; r < rows.length; r++) {
        countRow(held, features, labels, rows[r], 1);
        if ((r + 1) % ROWS_PER_STEP === 0) yield at((0.2 * r) / rows.length);
      }
    }
    const model = yield* within(nbModel(counts, labels, k < folds ? held : undefined, buckets), at(0.2), at(0.5));
    for (let r = 0; r < rows.length; r++) {
      nbScore(model, features, rows[r], scores);
      if ((r + 1) % (ROWS_PER_STEP * 4) === 0) yield at(0.5 + (0.5 * r) / rows.length);
    }
  }
  return scores;
}

/**
 * The hash buckets some row uses, ascending, when they are fewer than all (a small file's rows use a few
 * thousand of 2^16): naive Bayes then weighs only those, as no row is scored with another (#22).
 */
function usedBuckets(features: HashedFeatures): Uint32Array | undefined {
  const all = 1 << features.bits;
  if (features.features.length >= all / 2) return undefined;
  const seen = new Uint8Array(all);
  for (const b of features.features) seen[b] = 1;
  const used: number[] = [];
  for (let b = 0; b < all; b++) if (seen[b]) used.push(b);
  return Uint32Array.from(used);
}

/** Logistic regression scores: a model trained from scratch per fold, and one on every labelled row. */
function* logisticScores(features: HashedFeatures, labels: NbLabels, split: FoldRows, n: number, seed: number): Steps<Float64Array> {
  const scores = new Float64Array(n * labels.labels);
  const folds = split.byFold.length;
  const rounds = folds + (split.others.length ? 1 : 0);
  for (let k = 0; k < rounds; k++) {
    const rows = k < folds ? split.byFold[k] : split.others;
    const training = k < folds ? split.labelled.filter((i) => split.fold[i] !== k) : split.labelled;
    const model = yield* within(trainLogistic(features, labels, training, { ...LOGISTIC_DEFAULTS, seed: seed + k }), k / rounds, (k + 0.95) / rounds);
    for (const i of rows) logisticScore(model, features, i, scores);
  }
  return scores;
}

export { UNLABELLED, LEFT_OUT };
