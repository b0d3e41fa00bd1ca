import type { OutOfFoldModel } from './outOfFold';

/**
 * Which rows to label next: uncertainty sampling, x* = argmax U(x; θ), over the rows without a label
 * (or every row, on request), with the probabilities of the model trained on all labelled rows.
 * - margin (default): 1 − (p₁ − p₂), the gap between the two likeliest labels, turned so that a
 *   close call scores high; it looks at the decision the annotator actually has to make;
 * - entropy: −Σ p log p over the labels, divided by log of their number (0..1);
 * - least-confidence: 1 − p₁.
 * Multi-label rows are scored label by label (each a yes/no question) and take their most uncertain
 * label's score (entropy: the mean over labels). An optional weight per row multiplies the score, for
 * density weighting: U(x)·ρ(x)^β keeps outliers from crowding the list, 1/ρ(x) favours unexplored rows.
 */
export type Uncertainty = 'margin' | 'entropy' | 'least-confidence';

export interface RowsToLabelOptions {
  /** How many rows to return (default 50). */
  n?: number;
  uncertainty?: Uncertainty;
  /** Rank labelled rows too (default: only rows without a label). */
  includeLabelled?: boolean;
  /** A factor per row (file order), e.g. a density weight. */
  weights?: Float32Array | readonly number[];
  /**
   * Rows that may be listed (1), by row index; the others never are. Hosts leave out rows that are
   * not readable objects with a text (invalid JSON, a row of another shape): they look unlabelled to
   * the model, but there is nothing a person could label.
   */
  eligible?: Uint8Array;
}

export interface RowToLabel {
  row: number;
  /** The uncertainty (times the weight, if any): higher first. */
  score: number;
  /** The model's guess: its likeliest label, or in a multi-label file the labels at 0.5 or over. */
  guess: string | string[];
  /** The guess's probability (multi-label: the probability of the most uncertain label). */
  probability: number;
}

/** The uncertainty of one row's probabilities. */
export function rowUncertainty(p: ArrayLike<number>, start: number, L: number, multiLabel: boolean, kind: Uncertainty): number {
  if (multiLabel) {
    let worst = 0;
    let entropy = 0;
    for (let l = 0; l < L; l++) {
      const q = p[start + l];
      const top = Math.max(q, 1 - q);
      const u = kind === 'margin' ? 1 - (2 * top - 1) : kind === 'least-confidence' ? 1 - top : 0;
      worst = Math.max(worst, u);
      entropy += q > 0 && q < 1 ? -(q * Math.log2(q) + (1 - q) * Math.log2(1 - q)) : 0;
    }
    return kind === 'entropy' ? entropy / L : worst;
  }
  let first = 0;
  let second = 0;
  let entropy = 0;
  for (let c = 0; c < L; c++) {
    const q = p[start + c];
    if (q > first) {
      second = first;
      first = q;
    } else if (q > second) second = q;
    if (q > 0) entropy -= q * Math.log(q);
  }
  if (kind === 'margin') return 1 - (first - second);
  if (kind === 'least-confidence') return 1 - first;
  return L > 1 ? entropy / Math.log(L) : 0;
}

/** The top `n` rows to label next, most uncertain first (ties in file order). */
export function rowsToLabelNext(model: OutOfFoldModel, options: RowsToLabelOptions = {}): RowToLabel[] {
  const n = options.n ?? 50;
  const kind = options.uncertainty ?? 'margin';
  const L = model.labels.length;
  const p = model.probabilities;
  const picked: { row: number; score: number }[] = [];
  for (let i = 0; i < model.rows; i++) {
    if (!options.includeLabelled && model.given[i] !== -1) continue;
    if (options.eligible && !options.eligible[i]) continue;
    const weight = options.weights ? options.weights[i] : 1;
    picked.push({ row: i, score: rowUncertainty(p, i * L, L, model.multiLabel, kind) * weight });
  }
  picked.sort((a, b) => b.score - a.score || a.row - b.row);
  return picked.slice(0, n).map(({ row, score }) => {
    const base = row * L;
    if (model.multiLabel) {
      let doubt = 0;
      for (let l = 1; l < L; l++) if (Math.abs(p[base + l] - 0.5) < Math.abs(p[base + doubt] - 0.5)) doubt = l;
      return { row, score, guess: model.labels.filter((_, l) => p[base + l] >= 0.5), probability: p[base + doubt] };
    }
    let best = 0;
    for (let c = 1; c < L; c++) if (p[base + c] > p[base + best]) best = c;
    return { row, score, guess: model.labels[best], probability: p[base + best] };
  });
}
