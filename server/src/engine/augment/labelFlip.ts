import { forEachBucket } from '../labels/features';
import { SMOOTHING } from '../labels/naiveBayes';

/**
 * Label flips: a new row the label model would put under another label than its source's is dropped.
 * The model is the label-quality room's naive Bayes on hashed presence features (unigrams, bigrams,
 * character n-grams for unspaced scripts), trained here on the file's usable rows as they are read
 * (the first MODEL_ROWS of them: the cost stays bounded whatever the file's size). A new row is
 * judged only when the model gets its source right (else it knows nothing of that row's kind), and
 * dropped only when it is confident: the other label at least CONFIDENCE likely. Only labels of at
 * least MIN_ROWS_PER_LABEL rows are judged, in files of at most MAX_LABELS labels.
 */

const BITS = 16;
/** Labels the model covers: a file with more has no flip check (its counts would take too much memory). */
export const MAX_LABELS = 64;
/** Rows the model learns from, at most. */
export const MODEL_ROWS = 50_000;
/** Probability of another label from which a new row counts as flipped. */
export const CONFIDENCE = 0.9;
/** Rows a label needs before the model judges its rows (fewer teach a naive Bayes model noise, not the label). */
export const MIN_ROWS_PER_LABEL = 30;

export class LabelFlips {
  private readonly counts: Int32Array[] = [];
  private readonly rows: number[] = [];
  private readonly terms: number[] = [];
  private trained = 0;
  private tooMany = false;
  private model: { weights: Float32Array[]; priors: Float64Array; empty: Float64Array } | undefined;
  private lastSource = -1;
  private lastSourceRight = false;

  /** Adds a usable, labelled row (label: its index) while the model has room. */
  add(text: string, label: number): void {
    if (this.trained >= MODEL_ROWS || !text.trim() || this.tooMany) return;
    if (label >= MAX_LABELS) {
      this.tooMany = true;
      this.counts.length = 0;
      return;
    }
    while (this.counts.length <= label) {
      this.counts.push(new Int32Array(1 << BITS));
      this.rows.push(0);
      this.terms.push(0);
    }
    const column = this.counts[label];
    let width = 0;
    forEachBucket(text, BITS, (b) => {
      column[b]++;
      width++;
    });
    this.rows[label]++;
    this.terms[label] += width;
    this.trained++;
  }

  /** Whether the model judges rows of a label: two labels or more of MIN_ROWS_PER_LABEL rows, this one among them. */
  judges(label: number): boolean {
    return !this.tooMany && (this.rows[label] ?? 0) >= MIN_ROWS_PER_LABEL && this.rows.filter((n) => n >= MIN_ROWS_PER_LABEL).length >= 2;
  }

  private built() {
    if (this.model) return this.model;
    const L = this.counts.length;
    const D = 1 << BITS;
    const total = this.rows.reduce((a, b) => a + b, 0);
    const priors = new Float64Array(L);
    const empty = new Float64Array(L);
    const weights: Float32Array[] = [];
    for (let c = 0; c < L; c++) {
      priors[c] = Math.log((this.rows[c] + 1) / (total + L));
      const norm = Math.log(this.terms[c] + SMOOTHING * D);
      empty[c] = Math.log(SMOOTHING) - norm;
      const w = new Float32Array(D);
      const column = this.counts[c];
      for (let j = 0; j < D; j++) w[j] = column[j] === 0 ? empty[c] : Math.log(column[j] + SMOOTHING) - norm;
      weights.push(w);
    }
    this.counts.length = 0;
    return (this.model = { weights, priors, empty });
  }

  private scores = new Float64Array(0);

  /** Probabilities per label of a text (in a buffer reused by the next call). */
  private probabilities(text: string): Float64Array {
    const { weights, priors } = this.built();
    const L = priors.length;
    if (this.scores.length !== L) this.scores = new Float64Array(L);
    const scores = this.scores;
    scores.set(priors);
    forEachBucket(text, BITS, (b) => {
      for (let c = 0; c < L; c++) scores[c] += weights[c][b];
    });
    let max = -Infinity;
    for (let c = 0; c < L; c++) if (scores[c] > max) max = scores[c];
    let sum = 0;
    for (let c = 0; c < L; c++) sum += scores[c] = Math.exp(scores[c] - max);
    for (let c = 0; c < L; c++) scores[c] /= sum;
    return scores;
  }

  private argmax(p: Float64Array): number {
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return best;
  }

  /**
   * The label a new row flips to (its index), or -1: the model gets the source right, and puts the
   * new row under another label with probability CONFIDENCE or more.
   */
  flip(sourceIndex: number, sourceText: () => string, label: number, text: string): number {
    const p = this.probabilities(text);
    const best = this.argmax(p);
    if (best === label || p[best] < CONFIDENCE) return -1;
    // Only a candidate flip costs a reading of its source (once per source row).
    if (sourceIndex !== this.lastSource) {
      this.lastSource = sourceIndex;
      this.lastSourceRight = this.argmax(this.probabilities(sourceText())) === label;
    }
    return this.lastSourceRight ? best : -1;
  }
}
