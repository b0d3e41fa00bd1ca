import { FindingBuilder } from '../analysis/analyze';
import { detectDatasetFormat } from '../analysis/detection';
import { within, type Steps } from '../analysis/steps';
import type { Config } from '../config';
import { annotatorAgreement, densityWeights, labelQuality, labelQualityJson, readAnnotations, learningCurveOnSplit, type Classifier, type GivenLabel, type LabelInput, type LabelQuality, type LearningCurve, type OutOfFoldModel, type Uncertainty } from '../labels';
import type { LabelErrorCandidate } from '../labels/confidentLearning';
import { readLabelRows } from '../labels/rows';
import { openReader, type DatasetContainer, type SourceRow } from '../read';
import type { ByteSource } from '../read/source';
import { extractRow } from '../schema/extract';
import type { Finding } from '../types';
import type { FixSpec } from './rowRule';

/**
 * possible-label-error: the label model (labels/) over a classification file, its candidate label
 * errors made into findings. It is a rule of scope 'model' (see catalog.ts): a whole file's model
 * takes seconds, so it runs after the rule pass and apart from it (the CLI's check, the report, the
 * editor's background pass), each host merging its findings with withExtraFindings. Rows that
 * conflicting-labels already flags (the same or a near-identical text with another label) keep that
 * finding and are not reported again.
 */

export interface LabelCheckOptions {
  /** Attach the relabelling quick fix (the editor does). */
  fixes?: boolean;
  /** How to read the bytes when the path's extension does not say. */
  container?: DatasetContainer;
  /** The rule pass's findings of the file: rows it flagged as conflicting-labels are left to it. */
  findings?: readonly Finding[];
  /** Or only the lines of its conflicting-labels findings (what the editor hands its worker). */
  conflictLines?: readonly number[];
  /** How many rows to suggest labelling next (default 50; 0: none), or how to rank them (`tuneset suggest`). */
  rowsToLabel?: number | RowsToLabelChoice;
  /** Build the learning curve (default true). */
  learningCurve?: boolean;
  /** The classifier (default: the ensemble; 'naive-bayes' is ~5x cheaper). */
  classifier?: Classifier;
}

/** How the rows to label next are ranked (see labels/activeLearning.ts and labels/density.ts). */
export interface RowsToLabelChoice {
  n: number;
  uncertainty?: Uncertainty;
  includeLabelled?: boolean;
  /** Weight each row's uncertainty by its density (how many rows resemble it). */
  density?: boolean;
}

/** What the label model said of a file: its findings, or why it did not run. */
export interface LabelCheck {
  /** Why the model did not run (the rule is off, not a classification file, too few labels); absent when it ran. */
  notRun?: string;
  quality?: LabelQuality;
  findings: Finding[];
  /** Candidates left to a conflicting-labels finding on the same row. */
  leftToConflicts: number;
  /** The candidates reported as findings, most doubtful first (none left to conflicts, none when withheld). */
  reported?: LabelErrorCandidate[];
  /** The 1-based line of each row, by row index (for the JSON and the report). */
  lineOf?: (row: number) => number;
  /** The text the model read of each row, by row index (for the report). */
  textOf?: (row: number) => string;
  /** The label the row holds as the model read it (null: none), by row index (for `tuneset suggest`). */
  labelOf?: (row: number) => GivenLabel;
  /**
   * Why the model's candidates are not reported although it ran: it does no better than always
   * guessing the commonest label, so its doubts say nothing about the labels (random or unrelated texts).
   */
  withheld?: string;
  /** The model's held-out accuracy, and that of always guessing the commonest label (multi-label: per label, averaged). */
  skill?: { accuracy: number; baseline: number };
}

/** The model must beat always guessing the commonest label by this much (accuracy) for its doubts to count. */
export const MIN_LIFT = 0.05;

/** Held-out accuracy of the out-of-fold predictions, and of always guessing the commonest label. */
export function heldOutSkill(m: Pick<OutOfFoldModel, 'multiLabel' | 'labels' | 'given' | 'present' | 'probabilities'>): { accuracy: number; baseline: number } {
  const L = m.labels.length;
  let rows = 0;
  if (!m.multiLabel) {
    let right = 0;
    const counts = new Float64Array(L);
    for (let i = 0; i < m.given.length; i++) {
      const g = m.given[i];
      if (g < 0) continue;
      rows++;
      counts[g]++;
      let best = 0;
      for (let c = 1; c < L; c++) if (m.probabilities[i * L + c] > m.probabilities[i * L + best]) best = c;
      if (best === g) right++;
    }
    return rows ? { accuracy: right / rows, baseline: Math.max(...counts) / rows } : { accuracy: 0, baseline: 0 };
  }
  const right = new Float64Array(L);
  const held = new Float64Array(L);
  for (let i = 0; i < m.given.length; i++) {
    if (m.given[i] < 0) continue;
    rows++;
    for (let l = 0; l < L; l++) {
      const present = m.present![i * L + l] === 1;
      if (present) held[l]++;
      if ((m.probabilities[i * L + l] >= 0.5) === present) right[l]++;
    }
  }
  if (!rows) return { accuracy: 0, baseline: 0 };
  let accuracy = 0;
  let baseline = 0;
  for (let l = 0; l < L; l++) {
    accuracy += right[l] / rows / L;
    baseline += Math.max(held[l], rows - held[l]) / rows / L;
  }
  return { accuracy, baseline };
}

/** Rows read between two steps. */
const ROWS_PER_STEP = 5000;

const NUMBER = /^-?\d+(\.\d+)?$/;

/** The model's probability as a message shows it: two decimals, never a flat 0 or 1. */
export const shownProbability = (p: number): string => (p < 0.005 ? '<0.01' : p > 0.995 ? '>0.99' : p.toFixed(2));

/** The label model over a file's bytes, in steps (progress 0..1), with its findings. */
export function* labelCheckSteps(path: string, bytes: Uint8Array, config: Config, options: LabelCheckOptions = {}): Steps<LabelCheck> {
  if (config.rules['possible-label-error'] === 'off') return yield* agreementCheckSteps(path, bytes, config, 'possible-label-error is turned off', options.container);
  const reader = openReader(path, bytes, options.container, config);
  const detection = detectDatasetFormat(reader.rows(), config);
  if (detection.format !== 'classification') return { notRun: `not a classification file (read as ${detection.format})`, findings: [], leftToConflicts: 0 };
  const values: unknown[] = [];
  const rows: SourceRow[] = [];
  for (const row of reader.rows()) {
    values.push(row.problem ? undefined : row.value);
    rows.push(row);
    if (rows.length % ROWS_PER_STEP === 0) yield 0;
  }
  const fields = detection.fields;
  const { input, annotations } = readLabelRows(values, { text: fields.text, ...(fields.label ? { label: fields.label } : {}) }, detection.annotators);
  const choice: RowsToLabelChoice = typeof options.rowsToLabel === 'object' ? options.rowsToLabel : { n: options.rowsToLabel ?? 50 };
  // Only readable rows with a text may be suggested: an invalid JSON line has no label only because it has nothing.
  const eligible = Uint8Array.from(values, (v, i) => (v !== null && typeof v === 'object' && !Array.isArray(v) && input.texts[i].trim() !== '' ? 1 : 0));
  const rowsToLabel = choice.n > 0
    ? { n: choice.n, eligible, ...(choice.uncertainty ? { uncertainty: choice.uncertainty } : {}), ...(choice.includeLabelled ? { includeLabelled: true } : {}), ...(choice.density ? { weights: densityWeights(input.texts) } : {}) }
    : false as const;
  const quality = yield* within(labelQuality(input, {
    folds: config.labelModelFolds, seed: config.labelModelSeed, minRowsPerLabel: config.labelModelMinRowsPerLabel, ...(options.classifier ? { classifier: options.classifier } : {}),
    learningCurve: options.learningCurve ?? true, rowsToLabel, ...(annotations ? { annotations } : {}),
  }), 0.05, 0.97);
  const lineOf = (row: number) => rows[row]?.line ?? 0;
  const textOf = (row: number) => input.texts[row] ?? '';
  const labelOf = (row: number) => input.labels[row] ?? null;
  if (!quality.model.ok) return { notRun: quality.model.reason, quality, findings: [], leftToConflicts: 0, lineOf, textOf, labelOf };
  const skill = heldOutSkill(quality.outOfFold!);
  if (skill.accuracy < skill.baseline + MIN_LIFT) {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const withheld = `the model does no better than always guessing the commonest label (held-out accuracy ${pct(skill.accuracy)} against ${pct(skill.baseline)}): its doubts say nothing about the labels, so none is reported`;
    return { quality, findings: [], leftToConflicts: 0, lineOf, textOf, labelOf, withheld, skill };
  }
  const conflicts = new Set<number>(options.conflictLines);
  for (const f of options.findings ?? []) if (f.rule === 'conflicting-labels') for (let l = f.line; l <= f.endLine; l++) conflicts.add(l);
  const out = new FindingBuilder(reader, fields, config, { fixes: options.fixes });
  const findings: Finding[] = [];
  const reported: LabelErrorCandidate[] = [];
  let leftToConflicts = 0;
  (quality.labelErrors?.candidates ?? []).forEach((c, rank) => {
    const row = rows[c.row];
    if (!row || row.value === undefined) return;
    if (rowLines(row).some((l) => conflicts.has(l))) {
      leftToConflicts++;
      return;
    }
    const content = extractRow(row.value as Record<string, unknown>, detection.format, fields);
    out.sink = [];
    out.emit(row, content, labelErrorReport(c, rank + 1, fields.label ? (row.value as Record<string, unknown>)[fields.label] : undefined));
    for (const f of out.sink) findings.push(f);
    reported.push(c);
  });
  return { quality, findings, leftToConflicts, reported, lineOf, textOf, labelOf, skill };
}

/**
 * Annotator agreement without the label model, for a file the model does not run on (skipped, over
 * its row limit, its rule off): the check says why the model did not run (`reason`), and carries the
 * agreement figures when the file has several annotators' labels. Agreement needs no model, so it is
 * reported whatever the file's size: the rows are read once (a JSON Lines source in pieces), keeping
 * only each row's annotators' fields, its line, and the text of rows whose annotators differ (the
 * report shows them). The shape is the file's detection's, as labelCheckSteps and the
 * annotator-disagreement rule take it, and the figures are readAnnotations' and annotatorAgreement's,
 * so every path agrees on a file.
 */
export function* agreementCheckSteps(path: string, input: Uint8Array | ByteSource, config: Config, reason: string, container?: DatasetContainer): Steps<LabelCheck> {
  const notRun: LabelCheck = { notRun: reason, findings: [], leftToConflicts: 0 };
  const reader = openReader(path, input, container, config);
  const detection = detectDatasetFormat(reader.rows(), config);
  if (detection.format !== 'classification') return notRun;
  const shape = detection.annotators;
  if (!shape) return notRun;
  const textField = detection.fields.text;
  const kept: unknown[] = [];
  const lines: number[] = [];
  const texts = new Map<number, string>();
  /** Only the fields the annotators' labels are in: what readAnnotations reads of a row. */
  const fields = shape.kind === 'columns' ? shape.fields : [shape.field];
  for (const row of reader.rows()) {
    const value = row.problem ? undefined : row.value;
    const index = lines.length;
    lines.push(row.line);
    const record = value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
    const slim = record && Object.fromEntries(fields.filter((f) => f in record).map((f) => [f, record[f]]));
    kept.push(slim);
    if (new Set(readAnnotations([slim], shape).ratings[0].filter((r) => r !== null)).size > 1) {
      const text = record![textField];
      texts.set(index, typeof text === 'string' ? text : '');
    }
    if (lines.length % ROWS_PER_STEP === 0) yield 0;
  }
  const agreement = annotatorAgreement(readAnnotations(kept, shape));
  if (!agreement) return notRun;
  return {
    ...notRun, quality: { model: { ok: false, reason }, agreement },
    lineOf: (row: number) => lines[row] ?? 0, textOf: (row: number) => texts.get(row) ?? '',
  };
}

/**
 * The label errors a check reports: its candidates that became possible-label-error findings (rows
 * left to conflicting-labels and a withheld model's doubts are not among them), and how many were left
 * to conflicting-labels. check's JSON and text and the report's section all count with this, so they
 * agree on a file.
 */
export function reportedLabelErrors(check: LabelCheck): { flagged: number; candidates: LabelErrorCandidate[]; leftToConflicts: number } {
  const candidates = check.withheld ? [] : (check.reported ?? []);
  return { flagged: candidates.length, candidates, leftToConflicts: check.leftToConflicts };
}

/** A file's texts and labels as the label model reads them, or why there are none (not a classification file). */
export function* readLabelInputSteps(path: string, bytes: Uint8Array, config: Config, container?: DatasetContainer): Steps<{ input: LabelInput } | { reason: string }> {
  const reader = openReader(path, bytes, container, config);
  const detection = detectDatasetFormat(reader.rows(), config);
  if (detection.format !== 'classification') return { reason: `not a classification file (read as ${detection.format})` };
  const values: unknown[] = [];
  for (const row of reader.rows()) {
    values.push(row.problem ? undefined : row.value);
    if (values.length % ROWS_PER_STEP === 0) yield 0;
  }
  const fields = detection.fields;
  return { input: readLabelRows(values, { text: fields.text, ...(fields.label ? { label: fields.label } : {}) }, detection.annotators).input };
}

/** The learning curve of split files: learned on the training file, scored on a held-out one (validation or test), or why not. */
export interface SplitLearningCurve {
  /** The files, as the host shows them. */
  train: string;
  heldOut: string;
  curve?: LearningCurve;
  /** Why there is no curve (then the report keeps the k-fold curve of the file itself). */
  reason?: string;
}

/** A file as a split curve reads it: its bytes, and the path it is shown with. */
export interface SplitCurveFile {
  path: string;
  shown: string;
  bytes: Uint8Array;
  container?: DatasetContainer;
}

/** The learning curve across split files (learningCurveOnSplit), with the label model's settings, in steps. */
export function* splitLearningCurveSteps(train: SplitCurveFile, heldOut: SplitCurveFile, config: Config): Steps<SplitLearningCurve> {
  const files = { train: train.shown, heldOut: heldOut.shown };
  const t = yield* within(readLabelInputSteps(train.path, train.bytes, config, train.container), 0, 0.1);
  if ('reason' in t) return { ...files, reason: `${train.shown}: ${t.reason}` };
  const h = yield* within(readLabelInputSteps(heldOut.path, heldOut.bytes, config, heldOut.container), 0.1, 0.2);
  if ('reason' in h) return { ...files, reason: `${heldOut.shown}: ${h.reason}` };
  const options = { folds: config.labelModelFolds, seed: config.labelModelSeed, minRowsPerLabel: config.labelModelMinRowsPerLabel };
  const curve = yield* within(learningCurveOnSplit(t.input, h.input, options), 0.2, 1);
  return 'reason' in curve ? { ...files, reason: curve.reason } : { ...files, curve };
}

/** The lines a row spans. */
function rowLines(row: SourceRow): number[] {
  const lines = [row.line];
  for (let i = row.text.indexOf('\n'); i >= 0; i = row.text.indexOf('\n', i + 1)) lines.push(lines[lines.length - 1] + 1);
  return lines;
}

/** A candidate as a rule report: the message names both labels and probabilities; single-label rows get a relabelling fix. */
function labelErrorReport(c: LabelErrorCandidate, rank: number, given: unknown) {
  if (c.kind === 'multi') {
    const message = c.given === 'present'
      ? `The label "${c.label}" may not belong here: a model of the other rows gives it ${shownProbability(c.givenProbability)} and its absence ${shownProbability(c.suggestedProbability)}; suggested labels: [${c.suggestedLabels.join(', ')}]`
      : `The label "${c.label}" may be missing: a model of the other rows gives it ${shownProbability(c.suggestedProbability)} and its absence ${shownProbability(c.givenProbability)}; suggested labels: [${c.suggestedLabels.join(', ')}]`;
    return {
      rule: 'possible-label-error' as const, message, target: { path: ['@label'] },
      data: { label: c.label, given: c.given, suggested: c.suggested, givenProbability: c.givenProbability, suggestedProbability: c.suggestedProbability, suggestedLabels: c.suggestedLabels, rank },
    };
  }
  // A number or boolean label is written back as one.
  const raw = (typeof given === 'number' && NUMBER.test(c.suggested)) || (typeof given === 'boolean' && (c.suggested === 'true' || c.suggested === 'false'));
  const fix: FixSpec = { title: `Relabel as "${c.suggested}"`, kind: 'set-value', path: ['@label'], value: c.suggested, ...(raw ? { json: true } : {}) };
  return {
    rule: 'possible-label-error' as const,
    message: `The label "${c.given}" looks wrong: a model of the other rows gives "${c.suggested}" ${shownProbability(c.suggestedProbability)} and "${c.given}" ${shownProbability(c.givenProbability)}; relabel as "${c.suggested}"?`,
    target: { path: ['@label'] },
    data: { given: c.given, suggested: c.suggested, givenProbability: c.givenProbability, suggestedProbability: c.suggestedProbability, rank },
    fix,
  };
}

/** A label check as the JSON contract's `labelQuality`: the model's figures, candidates and rows to label with their lines. */
export function labelCheckJson(check: LabelCheck): Record<string, unknown> {
  if (!check.quality) return { model: { ok: false, reason: check.notRun } };
  const json = labelQualityJson(check.quality) as Record<string, unknown>;
  const lineOf = check.lineOf ?? ((row: number) => row + 1);
  const errors = check.quality.labelErrors;
  return {
    ...json,
    ...(errors ? { labelErrors: { ...errors, candidates: errors.candidates.map((c) => ({ ...c, line: lineOf(c.row) })) } } : {}),
    ...(check.quality.rowsToLabel ? { rowsToLabel: check.quality.rowsToLabel.map((r) => ({ ...r, line: lineOf(r.row) })) } : {}),
    ...(check.quality.agreement ? { agreement: { ...check.quality.agreement, disagreements: check.quality.agreement.disagreements.map((d) => ({ ...d, line: lineOf(d.row) })) } } : {}),
    findings: reportedLabelErrors(check).flagged,
    leftToConflicts: reportedLabelErrors(check).leftToConflicts,
    ...(check.skill ? { skill: check.skill } : {}),
    ...(check.withheld ? { withheld: check.withheld } : {}),
  };
}
