import type { Steps } from '../analysis/steps';

/**
 * From scores to probabilities. Naive Bayes adds up one log weight per feature as if the features
 * were independent, so its raw probabilities sit at 0 and 1; confident learning compares them with
 * per-label means, which then say little. One temperature T, fitted on the out-of-fold scores by
 * the log-likelihood of the given labels (golden-section search on log T), divides every score first.
 */

const SAMPLE = 20_000;
const ROUNDS = 40;

/** Softmax of scores[row * L ..] / T into out (single-label). */
export function softmaxRow(scores: Float64Array, row: number, L: number, temperature: number, out: Float32Array): void {
  const base = row * L;
  let max = -Infinity;
  for (let c = 0; c < L; c++) max = Math.max(max, scores[base + c] / temperature);
  let sum = 0;
  for (let c = 0; c < L; c++) sum += Math.exp(scores[base + c] / temperature - max);
  for (let c = 0; c < L; c++) out[base + c] = Math.exp(scores[base + c] / temperature - max) / sum;
}

/** The logistic of scores[row * L ..] / T into out (multi-label: each label on its own). */
export function sigmoidRow(scores: Float64Array, row: number, L: number, temperature: number, out: Float32Array): void {
  const base = row * L;
  for (let c = 0; c < L; c++) out[base + c] = 1 / (1 + Math.exp(-scores[base + c] / temperature));
}

/**
 * The temperature that makes the rows' given labels most likely. `rows` are the rows with a given
 * label; at most 20,000 of them, evenly spread, are used (the fit is one number).
 */
export function* fitTemperature(scores: Float64Array, rows: Int32Array, L: number, multiLabel: boolean, given: Int32Array, present: Uint8Array | undefined): Steps<number> {
  const step = Math.max(1, Math.floor(rows.length / SAMPLE));
  const loss = (logT: number) => {
    const t = Math.exp(logT);
    let total = 0;
    for (let k = 0; k < rows.length; k += step) {
      const base = rows[k] * L;
      if (multiLabel) {
        for (let l = 0; l < L; l++) {
          const z = scores[base + l] / t;
          const y = present![rows[k] * L + l] ? z : -z;
          total += y > 0 ? Math.log1p(Math.exp(-y)) : -y + Math.log1p(Math.exp(y));
        }
        continue;
      }
      let max = -Infinity;
      for (let c = 0; c < L; c++) max = Math.max(max, scores[base + c] / t);
      let sum = 0;
      for (let c = 0; c < L; c++) sum += Math.exp(scores[base + c] / t - max);
      total += max + Math.log(sum) - scores[base + given[rows[k]]] / t;
    }
    return total;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(100);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = loss(a);
  let fb = loss(b);
  for (let i = 0; i < ROUNDS; i++) {
    // Each round scores up to 20,000 rows: a step of its own.
    yield i / ROUNDS;
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = loss(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = loss(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}
