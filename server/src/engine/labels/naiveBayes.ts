import type { Steps } from '../analysis/steps';
import type { HashedFeatures } from './features';

/**
 * Multinomial naive Bayes on hashed presence features, kept as integer counts so that a fold's model
 * is the whole data's counts minus the fold's (k-fold costs one pass over the rows per fold, not k
 * trainings). Single-label: one column per label, scores are log joint probabilities. Multi-label
 * (one-vs-rest): one column per label plus a last column for all rows, so a label's "absent" counts
 * are the total minus its "present" ones; scores are log-odds of the label being present.
 */
export interface NbCounts {
  columns: number;
  /** counts[feature * columns + column]. */
  byFeature: Int32Array;
  /** Rows and feature occurrences per column. */
  rows: Float64Array;
  terms: Float64Array;
}

/** What the counting needs to know about the rows' labels. */
export interface NbLabels {
  multiLabel: boolean;
  labels: number;
  given: Int32Array;
  present?: Uint8Array;
}

export const SMOOTHING = 0.2;

export function emptyCounts(bits: number, labels: NbLabels): NbCounts {
  const columns = labels.multiLabel ? labels.labels + 1 : labels.labels;
  return { columns, byFeature: new Int32Array((1 << bits) * columns), rows: new Float64Array(columns), terms: new Float64Array(columns) };
}

/** Adds (sign 1) or removes (sign -1) one row's features under its label columns. */
export function countRow(counts: NbCounts, x: HashedFeatures, labels: NbLabels, row: number, sign: number): void {
  const { columns, byFeature } = counts;
  const start = x.offsets[row];
  const end = x.offsets[row + 1];
  const width = end - start;
  const add = (column: number) => {
    counts.rows[column] += sign;
    counts.terms[column] += sign * width;
    for (let k = start; k < end; k++) byFeature[x.features[k] * columns + column] += sign;
  };
  if (!labels.multiLabel) {
    add(labels.given[row]);
    return;
  }
  const L = labels.labels;
  for (let l = 0; l < L; l++) if (labels.present![row * L + l]) add(l);
  add(L);
}

/** A trained model: per-feature log weights and per-label priors, ready to score rows. */
export interface NbModel {
  multiLabel: boolean;
  labels: number;
  /** weights[feature * labels + label]. */
  weights: Float32Array;
  priors: Float64Array;
}

/** Features per step of building a model (a step is then a few milliseconds at 5 labels). */
const FEATURES_PER_STEP = 1 << 15;

/**
 * Turns counts (optionally minus a held-out fold's) into log weights, in steps over the hash buckets:
 * all of them, or only `buckets` (the others' weights are left 0) when the caller scores no row with
 * any other; each weight is the same either way.
 */
export function* nbModel(counts: NbCounts, labels: NbLabels, held?: NbCounts, buckets?: Uint32Array): Steps<NbModel> {
  const L = labels.labels;
  const C = counts.columns;
  const D = counts.byFeature.length / C;
  const at = (array: Int32Array | Float64Array, heldArray: Int32Array | Float64Array | undefined, k: number) => array[k] - (heldArray ? heldArray[k] : 0);
  const weights = new Float32Array(D * L);
  const priors = new Float64Array(L);
  const a = SMOOTHING;
  const weighed = buckets ? buckets.length : D;
  // Per label, for singleLabelWeights: the weight of an empty bucket and the norm; for
  // multiLabelWeights: the norms of the label present and absent.
  const one = new Float64Array(L);
  const two = new Float64Array(L);
  if (!labels.multiLabel) {
    let total = 0;
    for (let c = 0; c < L; c++) total += at(counts.rows, held?.rows, c);
    for (let c = 0; c < L; c++) {
      priors[c] = Math.log((at(counts.rows, held?.rows, c) + 1) / (total + L));
      two[c] = Math.log(at(counts.terms, held?.terms, c) + a * D);
      // Most buckets are empty in most labels: their weight is the same log(a) - norm, computed once.
      one[c] = Math.log(a) - two[c];
    }
  } else {
    const allRows = at(counts.rows, held?.rows, L);
    const allTerms = at(counts.terms, held?.terms, L);
    for (let l = 0; l < L; l++) {
      const rows = at(counts.rows, held?.rows, l);
      const terms = at(counts.terms, held?.terms, l);
      priors[l] = Math.log((rows + 1) / (allRows - rows + 1));
      one[l] = Math.log(terms + a * D);
      two[l] = Math.log(allTerms - terms + a * D);
    }
  }
  const task: Weighing = { byFeature: counts.byFeature, held: held?.byFeature, C, L, buckets, weights, one, two };
  // A step ends before each FEATURES_PER_STEP-th bucket, as it always has.
  for (let q = 0, stop = FEATURES_PER_STEP - 1; ; stop += FEATURES_PER_STEP) {
    const to = Math.min(weighed, stop);
    if (labels.multiLabel) multiLabelWeights(task, q, to);
    else singleLabelWeights(task, q, to);
    q = to;
    if (q >= weighed) break;
    yield q / weighed;
  }
  return { multiLabel: labels.multiLabel, labels: L, weights, priors };
}

/**
 * What nbModel's weights are made from, for the plain functions that make them: V8 replaces a running
 * loop by its optimised code in a plain function only, so in the generator a small file's folds were
 * weighed interpreted throughout (#22).
 */
interface Weighing {
  byFeature: Int32Array;
  held: Int32Array | undefined;
  C: number;
  L: number;
  buckets: Uint32Array | undefined;
  weights: Float32Array;
  one: Float64Array;
  two: Float64Array;
}

/** Single-label weights of buckets [from, to): one is the weight of an empty bucket, two the norm. */
function singleLabelWeights(t: Weighing, from: number, to: number): void {
  const { byFeature, held, C, L, buckets, weights } = t;
  const empty = t.one;
  const norm = t.two;
  for (let q = from; q < to; q++) {
    const j = buckets ? buckets[q] : q;
    for (let c = 0; c < L; c++) {
      const count = byFeature[j * C + c] - (held ? held[j * C + c] : 0);
      weights[j * L + c] = count === 0 ? empty[c] : logSmoothed(count) - norm[c];
    }
  }
}

/** Multi-label weights of buckets [from, to): one is the norm of each label present, two absent. */
function multiLabelWeights(t: Weighing, from: number, to: number): void {
  const { byFeature, held, C, L, buckets, weights } = t;
  const presentNorm = t.one;
  const absentNorm = t.two;
  const logA = Math.log(SMOOTHING);
  for (let q = from; q < to; q++) {
    const j = buckets ? buckets[q] : q;
    const all = byFeature[j * C + L] - (held ? held[j * C + L] : 0);
    if (all === 0) {
      for (let l = 0; l < L; l++) weights[j * L + l] = absentNorm[l] - presentNorm[l];
      continue;
    }
    for (let l = 0; l < L; l++) {
      const present = byFeature[j * C + l] - (held ? held[j * C + l] : 0);
      weights[j * L + l] = (present === 0 ? logA : logSmoothed(present)) - presentNorm[l] - (all === present ? logA : logSmoothed(all - present)) + absentNorm[l];
    }
  }
}

/**
 * log(count + SMOOTHING) of a term count (an integer): from a table for the small counts most buckets
 * hold, the same doubles as Math.log gives (it made them), without a logarithm per bucket and label
 * for each of the learning curve's models (#22).
 */
function logSmoothed(count: number): number {
  return count >= 0 && count < LOG_TABLE_SIZE ? (logTable ??= Float64Array.from({ length: LOG_TABLE_SIZE }, (_, i) => Math.log(i + SMOOTHING)))[count] : Math.log(count + SMOOTHING);
}

const LOG_TABLE_SIZE = 4096;
let logTable: Float64Array | undefined;

/** Scores one row into out[row * labels ..]: log joint (single-label) or log-odds (multi-label). */
export function nbScore(model: NbModel, x: HashedFeatures, row: number, out: Float64Array): void {
  const L = model.labels;
  const base = row * L;
  for (let c = 0; c < L; c++) out[base + c] = model.priors[c];
  const { weights } = model;
  for (let k = x.offsets[row]; k < x.offsets[row + 1]; k++) {
    const w = x.features[k] * L;
    for (let c = 0; c < L; c++) out[base + c] += weights[w + c];
  }
}
