import { seededRandom, shuffle } from '../seededRandom';
import type { Steps } from '../analysis/steps';
import type { HashedFeatures } from './features';
import type { NbLabels } from './naiveBayes';

/**
 * Logistic regression on the same hashed features, trained by plain stochastic gradient descent
 * (softmax for single-label, one sigmoid per label for multi-label). Each row's features are scaled
 * by 1/sqrt(their number) so a long row takes no bigger step than a short one. Unlike naive Bayes a
 * fold's model cannot be had by subtraction: each fold is trained from scratch.
 */
export interface LogisticModel {
  multiLabel: boolean;
  labels: number;
  /** weights[feature * labels + label]. */
  weights: Float32Array;
  bias: Float64Array;
}

export interface LogisticOptions {
  epochs: number;
  learningRate: number;
  seed: number;
}

const ROWS_PER_STEP = 8192;

export const LOGISTIC_DEFAULTS: LogisticOptions = { epochs: 8, learningRate: 1, seed: 1 };

/** Trains on `rows` (indexes into the features and labels), in steps of a few thousand rows. */
export function* trainLogistic(x: HashedFeatures, labels: NbLabels, rows: readonly number[], options: LogisticOptions = LOGISTIC_DEFAULTS): Steps<LogisticModel> {
  const L = labels.labels;
  const model: LogisticModel = { multiLabel: labels.multiLabel, labels: L, weights: new Float32Array((1 << x.bits) * L), bias: new Float64Array(L) };
  const order = Int32Array.from(rows);
  const random = seededRandom(options.seed);
  const z = new Float64Array(L);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    const rate = options.learningRate / (1 + epoch);
    for (let from = 0; from < order.length; from += ROWS_PER_STEP) {
      sgdSteps(model, x, labels, order, from, Math.min(order.length, from + ROWS_PER_STEP), rate, z);
      if (from + ROWS_PER_STEP <= order.length) yield (epoch + (from + ROWS_PER_STEP - 1) / order.length) / options.epochs;
    }
  }
  return model;
}

/**
 * One stochastic gradient step per row of order[from, to), at `rate`. A plain function, not part of
 * the generator: V8 replaces a running loop by its optimised code (on-stack replacement) in a plain
 * function only, so in the generator a small file's folds ran interpreted throughout (#22: ~45 ms of
 * a 100-row check).
 */
function sgdSteps(model: LogisticModel, x: HashedFeatures, labels: NbLabels, order: Int32Array, from: number, to: number, rate: number, z: Float64Array): void {
  const L = model.labels;
  const { weights, bias } = model;
  const { features, offsets } = x;
  for (let r = from; r < to; r++) {
    const i = order[r];
    const start = offsets[i];
    const end = offsets[i + 1];
    const scale = end > start ? 1 / Math.sqrt(end - start) : 0;
    // Label by label, each sum in a register: the same additions in the same order as feature by
    // feature (each label's sum goes through the row's features in turn), so the same doubles (#22).
    for (let c = 0; c < L; c++) {
      let sum = bias[c];
      for (let k = start; k < end; k++) sum += weights[features[k] * L + c] * scale;
      z[c] = sum;
    }
    if (labels.multiLabel) {
      for (let c = 0; c < L; c++) z[c] = 1 / (1 + Math.exp(-z[c])) - labels.present![i * L + c];
    } else {
      let max = -Infinity;
      for (let c = 0; c < L; c++) max = Math.max(max, z[c]);
      let sum = 0;
      for (let c = 0; c < L; c++) sum += z[c] = Math.exp(z[c] - max);
      for (let c = 0; c < L; c++) z[c] = z[c] / sum - (labels.given[i] === c ? 1 : 0);
    }
    for (let c = 0; c < L; c++) {
      bias[c] -= rate * z[c];
      const step = rate * z[c] * scale;
      for (let k = start; k < end; k++) weights[features[k] * L + c] -= step;
    }
  }
}

/** Scores one row into out[row * labels ..]: logits (softmax or per-label sigmoid). */
export function logisticScore(model: LogisticModel, x: HashedFeatures, row: number, out: Float64Array): void {
  const L = model.labels;
  const base = row * L;
  const start = x.offsets[row];
  const end = x.offsets[row + 1];
  const scale = end > start ? 1 / Math.sqrt(end - start) : 0;
  for (let c = 0; c < L; c++) out[base + c] = model.bias[c];
  for (let k = start; k < end; k++) {
    const w = x.features[k] * L;
    for (let c = 0; c < L; c++) out[base + c] += model.weights[w + c] * scale;
  }
}
