/**
 * Confident learning (Northcutt, Jiang and Chuang, 2021) on out-of-fold probabilities. A label's
 * threshold is the mean probability the model gives that label on the rows that carry it (its mean
 * self-confidence). A row is a candidate label error when the probability of its given label is under
 * that label's threshold while another label's probability is at or over its own threshold; the
 * suggested label is the likeliest such label. Candidates are ranked by self-confidence, lowest first.
 * Multi-label files are checked label by label, each label a two-class problem (present / absent).
 */

/** The parts of an out-of-fold model confident learning reads. */
export interface ProbabilityTable {
  multiLabel: boolean;
  labels: readonly string[];
  /** Single-label: the given label's index (negative: not checked). Multi-label: >= 0 for a labelled row. */
  given: Int32Array;
  present?: Uint8Array;
  probabilities: Float32Array;
}

/** A likely label error, ready to become a finding. */
export type LabelErrorCandidate =
  | {
      kind: 'single';
      row: number;
      given: string;
      suggested: string;
      /** The model's probability of the given label: its self-confidence, the ranking key. */
      givenProbability: number;
      suggestedProbability: number;
    }
  | {
      kind: 'multi';
      row: number;
      /** The label in doubt, and whether the row holds it now and should. */
      label: string;
      given: 'present' | 'absent';
      suggested: 'present' | 'absent';
      givenProbability: number;
      suggestedProbability: number;
      /** The row's modelled labels now, and with the suggestion applied. */
      givenLabels: string[];
      suggestedLabels: string[];
    };

export interface LabelErrors {
  /** Per label, its threshold (single-label) or its present / absent thresholds (multi-label). */
  thresholds: number[] | { present: number; absent: number }[];
  /** Most doubtful first. */
  candidates: LabelErrorCandidate[];
  /** Rows with at least one candidate / labelled rows checked: the articles' noise ratio, over the rows flagged. */
  noiseRatio: number;
  /**
   * The share of wrong labels the calibrated confident joint implies (its off-diagonal over the rows;
   * multi-label: wrong (row, label) pairs over the rows, at most 1). Flagged rows miss the flipped rows
   * whose text gives no hint, so this estimates the true rate better than noiseRatio (see the README).
   */
  estimatedNoiseRatio: number;
  noisyRows: number;
  checkedRows: number;
  /**
   * Single-label: joint[given][likely true] counts of rows whose likely true label is confidently
   * known (some label at or over its threshold), and `estimated`, each given label's row scaled to
   * its number of rows (cleanlab's calibrated joint). Multi-label: per label, 2 x 2 over
   * [absent, present] x [absent, present].
   */
  confidentJoint: number[][] | { label: string; joint: number[][] }[];
  estimatedConfusion: number[][] | { label: string; joint: number[][] }[];
}

/** Finds likely label errors and estimates the noise ratio and per-label confusion. */
export function findLabelErrors(table: ProbabilityTable): LabelErrors {
  return table.multiLabel ? multiLabelErrors(table) : singleLabelErrors(table);
}

/** The per-label thresholds of a single-label table: the mean self-confidence of each label's rows. */
export function selfConfidenceThresholds(table: ProbabilityTable): number[] {
  const L = table.labels.length;
  const sum = new Float64Array(L);
  const rows = new Float64Array(L);
  for (let i = 0; i < table.given.length; i++) {
    const g = table.given[i];
    if (g < 0) continue;
    sum[g] += table.probabilities[i * L + g];
    rows[g]++;
  }
  return Array.from(sum, (s, c) => (rows[c] ? s / rows[c] : 1));
}

/** The suggested label of a row, or -1 when it is not a candidate (see the module comment). */
export function suggestedLabel(probabilities: Float32Array, row: number, given: number, thresholds: readonly number[]): number {
  const L = thresholds.length;
  const base = row * L;
  if (probabilities[base + given] >= thresholds[given]) return -1;
  let best = -1;
  for (let c = 0; c < L; c++) {
    if (c === given || probabilities[base + c] < thresholds[c]) continue;
    if (best < 0 || probabilities[base + c] > probabilities[base + best]) best = c;
  }
  return best;
}

const byConfidence = (a: LabelErrorCandidate, b: LabelErrorCandidate) => a.givenProbability - b.givenProbability || a.row - b.row;

const offDiagonal = (joint: number[][]) => joint.reduce((s, row, i) => s + row.reduce((t, v, j) => t + (i === j ? 0 : v), 0), 0);

function calibrated(joint: number[][], givenRows: number[]): number[][] {
  return joint.map((row, i) => {
    const sum = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (sum ? (v / sum) * givenRows[i] : 0));
  });
}

function singleLabelErrors(table: ProbabilityTable): LabelErrors {
  const { labels, given, probabilities } = table;
  const L = labels.length;
  const thresholds = selfConfidenceThresholds(table);
  const joint = Array.from({ length: L }, () => new Array<number>(L).fill(0));
  const givenRows = new Array<number>(L).fill(0);
  const candidates: LabelErrorCandidate[] = [];
  let checked = 0;
  for (let i = 0; i < given.length; i++) {
    const g = given[i];
    if (g < 0) continue;
    checked++;
    givenRows[g]++;
    const base = i * L;
    const suggested = suggestedLabel(probabilities, i, g, thresholds);
    if (suggested >= 0) {
      joint[g][suggested]++;
      candidates.push({ kind: 'single', row: i, given: labels[g], suggested: labels[suggested], givenProbability: probabilities[base + g], suggestedProbability: probabilities[base + suggested] });
    } else if (probabilities[base + g] >= thresholds[g]) joint[g][g]++;
  }
  candidates.sort(byConfidence);
  const estimated = calibrated(joint, givenRows);
  return {
    thresholds,
    candidates,
    noiseRatio: checked ? candidates.length / checked : 0,
    estimatedNoiseRatio: checked ? offDiagonal(estimated) / checked : 0,
    noisyRows: candidates.length,
    checkedRows: checked,
    confidentJoint: joint,
    estimatedConfusion: estimated,
  };
}

function multiLabelErrors(table: ProbabilityTable): LabelErrors {
  const { labels, given, probabilities } = table;
  const present = table.present!;
  const L = labels.length;
  const sums = Array.from({ length: L }, () => ({ present: 0, presentRows: 0, absent: 0, absentRows: 0 }));
  for (let i = 0; i < given.length; i++) {
    if (given[i] < 0) continue;
    for (let l = 0; l < L; l++) {
      const p = probabilities[i * L + l];
      const s = sums[l];
      if (present[i * L + l]) {
        s.present += p;
        s.presentRows++;
      } else {
        s.absent += 1 - p;
        s.absentRows++;
      }
    }
  }
  const thresholds = sums.map((s) => ({ present: s.presentRows ? s.present / s.presentRows : 1, absent: s.absentRows ? s.absent / s.absentRows : 1 }));
  const joints = labels.map(() => [
    [0, 0],
    [0, 0],
  ]);
  const candidates: LabelErrorCandidate[] = [];
  const noisy = new Set<number>();
  let checked = 0;
  for (let i = 0; i < given.length; i++) {
    if (given[i] < 0) continue;
    checked++;
    const held = labels.filter((_, l) => present[i * L + l]);
    for (let l = 0; l < L; l++) {
      const p = probabilities[i * L + l];
      const isPresent = present[i * L + l] === 1;
      const self = isPresent ? p : 1 - p;
      const other = 1 - self;
      const selfThreshold = isPresent ? thresholds[l].present : thresholds[l].absent;
      const otherThreshold = isPresent ? thresholds[l].absent : thresholds[l].present;
      const g = isPresent ? 1 : 0;
      if (self < selfThreshold && other >= otherThreshold) {
        joints[l][g][1 - g]++;
        noisy.add(i);
        const suggestedLabels = isPresent ? held.filter((x) => x !== labels[l]) : labels.filter((x, k) => present[i * L + k] || k === l);
        candidates.push({
          kind: 'multi', row: i, label: labels[l], given: isPresent ? 'present' : 'absent', suggested: isPresent ? 'absent' : 'present',
          givenProbability: self, suggestedProbability: other, givenLabels: held, suggestedLabels,
        });
      } else if (self >= selfThreshold) joints[l][g][g]++;
    }
  }
  candidates.sort(byConfidence);
  const estimated = labels.map((label, l) => ({ label, joint: calibrated(joints[l], [sums[l].absentRows, sums[l].presentRows]) }));
  return {
    thresholds,
    candidates,
    noiseRatio: checked ? noisy.size / checked : 0,
    estimatedNoiseRatio: checked ? Math.min(1, estimated.reduce((s, e) => s + offDiagonal(e.joint), 0) / checked) : 0,
    noisyRows: noisy.size,
    checkedRows: checked,
    confidentJoint: labels.map((label, l) => ({ label, joint: joints[l] })),
    estimatedConfusion: estimated,
  };
}
