/**
 * Label quality (#18): likely label errors, the noise ratio, annotator agreement, a learning curve and
 * the rows to label next, from out-of-fold predictions of a fast linear text classifier. Pure
 * TypeScript on typed arrays; long work runs in steps (see ../steps.ts) a host drives in slices or in
 * a worker, with progress and cancellation between steps.
 */
import type { Steps } from '../analysis/steps';
import { within } from '../analysis/steps';
import { annotatorAgreement, type AnnotatorAgreement, type Annotations } from './agreement';
import { rowsToLabelNext, type RowsToLabelOptions, type RowToLabel } from './activeLearning';
import { findLabelErrors, type LabelErrors } from './confidentLearning';
import type { LabelInput } from './dataset';
import { CURVE_FRACTIONS, learningCurve, type LearningCurve } from './learningCurve';
import { outOfFoldProbabilities, type AppliedModelOptions, type LabelModelOptions, type OutOfFoldModel } from './outOfFold';

export interface LabelQualityOptions extends LabelModelOptions {
  /** Build the learning curve (default true); the shares of the training rows it uses. */
  learningCurve?: boolean;
  curveFractions?: readonly number[];
  /** Rank rows to label next (default: the 50 most uncertain unlabelled rows); false: skip. */
  rowsToLabel?: RowsToLabelOptions | false;
  /** Several annotators' labels per row (see agreement.ts for the shapes read). */
  annotations?: Annotations;
}

/** What the model learned from, in a form that serialises as JSON. */
export interface LabelModelSummary {
  ok: true;
  multiLabel: boolean;
  labels: string[];
  labelCounts: number[];
  rows: number;
  labelledRows: number;
  unlabelledRows: number;
  leftOut: { label: string; rows: number }[];
  temperatures: OutOfFoldModel['temperatures'];
  notes: string[];
  options: AppliedModelOptions;
}

/**
 * Labelled rows under which the learning curve is skipped (a note says so): a tenth of each fold's
 * training rows would be a handful, and 25 models of them say nothing about more data.
 */
export const MIN_CURVE_ROWS = 100;

/** Everything label quality has to say about a file. All but `outOfFold` serialises as JSON. */
export interface LabelQuality {
  /** The model, or why there is none (then only `agreement` may be present). */
  model: LabelModelSummary | { ok: false; reason: string };
  labelErrors?: LabelErrors;
  learningCurve?: LearningCurve;
  /** Absent when there is no model or the caller skipped it; empty when no row qualifies. */
  rowsToLabel?: RowToLabel[];
  agreement?: AnnotatorAgreement;
  /** The out-of-fold model itself (typed arrays), for hosts that check a relabel or explain a row. */
  outOfFold?: OutOfFoldModel;
}

/** The whole label-quality pass, in steps (progress 0..1). */
export function* labelQuality(input: LabelInput, options: LabelQualityOptions = {}): Steps<LabelQuality> {
  const agreement = options.annotations ? annotatorAgreement(options.annotations) : undefined;
  const wantCurve = options.learningCurve ?? true;
  const result = yield* within(outOfFoldProbabilities(input, options), 0, wantCurve ? 0.6 : 0.95);
  if (!result.ok) return { model: { ok: false, reason: result.reason }, ...(agreement ? { agreement } : {}) };
  const m = result.model;
  const labelErrors = findLabelErrors(m);
  const tooFew = wantCurve && m.labelledRows < MIN_CURVE_ROWS;
  if (tooFew) m.notes.push(`no learning curve: ${m.labelledRows} labelled rows are too few (it needs ${MIN_CURVE_ROWS})`);
  const curve = wantCurve && !tooFew ? yield* within(learningCurve(m, options.curveFractions ?? CURVE_FRACTIONS), 0.6, 0.95) : undefined;
  const rowsToLabel = options.rowsToLabel === false ? undefined : rowsToLabelNext(m, options.rowsToLabel ?? {});
  return {
    model: {
      ok: true, multiLabel: m.multiLabel, labels: m.labels, labelCounts: m.labelCounts, rows: m.rows, labelledRows: m.labelledRows,
      unlabelledRows: m.unlabelledRows, leftOut: m.leftOut, temperatures: m.temperatures, notes: m.notes, options: m.options,
    },
    labelErrors,
    ...(curve ? { learningCurve: curve } : {}),
    ...(rowsToLabel ? { rowsToLabel } : {}),
    ...(agreement ? { agreement } : {}),
    outOfFold: m,
  };
}

/** The label-quality result without the typed arrays, ready for JSON (the CLI's `labelQuality`). */
export function labelQualityJson(quality: LabelQuality): Omit<LabelQuality, 'outOfFold'> {
  const { outOfFold: _dropped, ...rest } = quality;
  return rest;
}

export { outOfFoldProbabilities, resolveModelOptions, type OutOfFoldModel, type OutOfFoldResult, type LabelModelOptions, type AppliedModelOptions, type Classifier } from './outOfFold';
export { findLabelErrors, selfConfidenceThresholds, suggestedLabel, type LabelErrors, type LabelErrorCandidate, type ProbabilityTable } from './confidentLearning';
export { annotatorAgreement, cohensKappa, fleissKappa, detectAnnotationShape, readAnnotations, kappaPhrase, kappaStrength, type AnnotationShape, type Annotations, type AnnotatorAgreement } from './agreement';
export { learningCurve, learningCurveOnSplit, curveVerdict, CURVE_FRACTIONS, type LearningCurve, type LearningCurvePoint } from './learningCurve';
export { rowsToLabelNext, rowUncertainty, type Uncertainty, type RowsToLabelOptions, type RowToLabel } from './activeLearning';
export { labelInputFromValues, majorityLabels, readLabelRows } from './rows';
export { textTerms, textBuckets, hashFeatures, type HashedFeatures } from './features';
export type { LabelInput, GivenLabel } from './dataset';
export { coverage, type Coverage, type CoverageOptions } from './coverage';
export { densityWeights, rowDensity } from './density';
export { isMultiLabel } from './dataset';
