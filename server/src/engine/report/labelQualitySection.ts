import { reportedLabelErrors, type LabelCheck, type SplitLearningCurve } from '../rules/labelErrors';
import type { LearningCurve } from '../labels/learningCurve';

/**
 * The quality report's "Label quality" section, from the label model's check of the file: the noise
 * ratio with the estimated confusion (given label × likely true label), the likeliest label errors
 * with their texts, annotator agreement, the learning curve and the rows to label next.
 */
export interface LabelQualitySection {
  /** Why the model did not run (agreement may still be reported). */
  notRun?: string;
  /** Why its label errors are not reported although it ran (it does no better than guessing the commonest label). */
  withheld?: string;
  multiLabel: boolean;
  labels: string[];
  noiseRatio: number;
  estimatedNoiseRatio: number;
  /** Rows the model doubts (the noise ratio's numerator), rows left to conflicting-labels among them included. */
  noisyRows: number;
  /** Rows flagged possible-label-error, as check counts them (reportedLabelErrors): noisyRows less those left to conflicting-labels. */
  flaggedRows: number;
  leftToConflicts: number;
  checkedRows: number;
  /**
   * Single-label: estimated rows per given label (rows) × likely true label (columns), rounded.
   * Multi-label: absent (see `perLabel`).
   */
  confusion?: number[][];
  /** Multi-label: per label, its rows likely wrongly absent and wrongly present (estimated). */
  perLabel?: { label: string; wronglyAbsent: number; wronglyPresent: number }[];
  /** Most doubtful first; texts cut to 300 characters. */
  candidates: { line: number; text: string; given: string; suggested: string; givenProbability: number; suggestedProbability: number }[];
  /** Candidates reported in all (the list holds the first few). */
  candidateCount: number;
  learningCurve?: LearningCurve;
  /**
   * Where the learning curve comes from: the file's own folds, or split files (learned on `train`,
   * scored on `heldOut`). `splitReason`: why split files were present but not used (the k-fold curve is kept).
   */
  learningCurveSource?: { kind: 'folds'; folds: number } | { kind: 'split'; train: string; heldOut: string };
  splitReason?: string;
  rowsToLabel: { line: number; text: string; guess: string; probability: number; score: number }[];
  agreement?: {
    rows: number;
    annotators: number;
    percentAgreement: number;
    cohensKappa: number | null;
    fleissKappa: number | null;
    strength: string;
    perLabel: { label: string; agreement: number; ratings: number }[];
    disagreements: number;
    /** The first rows they disagree on: each annotator's label (null: none), the majority (null on a tie); texts cut to 300 characters. */
    disagreementRows?: { line: number; text: string; labels: (string | null)[]; majority: string | null }[];
    annotatorNames?: string[];
  };
}

const SHOWN = 20;
const TEXT_CHARS = 300;

const cut = (s: string) => (s.length > TEXT_CHARS ? `${s.slice(0, TEXT_CHARS - 1)}…` : s);

/**
 * The learning curve the section shows: split files' when given and computed, else the file's k-fold
 * curve (with why the split files were not used).
 */
function curveOf(q: LabelCheck['quality'], split: SplitLearningCurve | undefined): Pick<LabelQualitySection, 'learningCurve' | 'learningCurveSource' | 'splitReason'> {
  if (split?.curve) return { learningCurve: split.curve, learningCurveSource: { kind: 'split', train: split.train, heldOut: split.heldOut } };
  const own = q?.learningCurve && q.model.ok ? { learningCurve: q.learningCurve, learningCurveSource: { kind: 'folds' as const, folds: q.model.options.folds } } : {};
  return { ...own, ...(split?.reason ? { splitReason: `learning on ${split.train} and scoring on ${split.heldOut}: ${split.reason}` } : {}) };
}

/** The section of a label check; undefined when there is nothing to say (no model and no annotators). */
export function labelQualitySection(check: LabelCheck, split?: SplitLearningCurve): LabelQualitySection | undefined {
  const q = check.quality;
  const lineOf = check.lineOf ?? ((row: number) => row + 1);
  const textOf = check.textOf ?? (() => '');
  const a = q?.agreement;
  const agreement = a && {
    rows: a.rows, annotators: a.annotators, percentAgreement: a.percentAgreement, cohensKappa: a.cohensKappa, fleissKappa: a.fleissKappa,
    strength: a.strength, perLabel: a.perLabel, disagreements: a.disagreements.length,
    disagreementRows: a.disagreements.slice(0, SHOWN).map((d) => ({ line: lineOf(d.row), text: cut(textOf(d.row)), labels: d.labels, majority: d.majority })),
    ...(a.annotatorNames ? { annotatorNames: a.annotatorNames } : {}),
  };
  const errors = q?.labelErrors;
  if (!q || !q.model.ok || !errors) {
    const empty = { notRun: check.notRun ?? 'the label model did not run', multiLabel: false, labels: [], noiseRatio: 0, estimatedNoiseRatio: 0, noisyRows: 0, flaggedRows: 0, leftToConflicts: 0, checkedRows: 0, candidates: [], candidateCount: 0, rowsToLabel: [] };
    return q || split?.curve ? { ...empty, ...curveOf(q, split), ...(agreement ? { agreement } : {}) } : empty;
  }
  const model = q.model;
  const reported = reportedLabelErrors(check);
  const section: LabelQualitySection = {
    multiLabel: model.multiLabel,
    labels: model.labels,
    noiseRatio: errors.noiseRatio,
    estimatedNoiseRatio: errors.estimatedNoiseRatio,
    noisyRows: errors.noisyRows,
    flaggedRows: reported.flagged,
    leftToConflicts: reported.leftToConflicts,
    checkedRows: errors.checkedRows,
    candidates: reported.candidates.slice(0, SHOWN).map((c) => c.kind === 'single'
      ? { line: lineOf(c.row), text: cut(textOf(c.row)), given: c.given, suggested: c.suggested, givenProbability: c.givenProbability, suggestedProbability: c.suggestedProbability }
      : { line: lineOf(c.row), text: cut(textOf(c.row)), given: `[${c.givenLabels.join(', ')}]`, suggested: `[${c.suggestedLabels.join(', ')}]`, givenProbability: c.givenProbability, suggestedProbability: c.suggestedProbability }),
    candidateCount: reported.flagged,
    rowsToLabel: (q.rowsToLabel ?? []).slice(0, SHOWN).map((r) => ({
      line: lineOf(r.row), text: cut(textOf(r.row)), guess: Array.isArray(r.guess) ? `[${r.guess.join(', ')}]` : r.guess, probability: r.probability, score: r.score,
    })),
    ...curveOf(q, split),
    ...(agreement ? { agreement } : {}),
    ...(check.withheld ? { withheld: check.withheld } : {}),
  };
  const estimated = errors.estimatedConfusion;
  if (!model.multiLabel) section.confusion = (estimated as number[][]).map((row) => row.map((v) => Math.round(v)));
  else {
    section.perLabel = (estimated as { label: string; joint: number[][] }[]).map((e) => ({
      label: e.label, wronglyAbsent: Math.round(e.joint[0][1]), wronglyPresent: Math.round(e.joint[1][0]),
    }));
  }
  return section;
}
