import { FindingBuilder } from '../analysis/analyze';
import { detectDatasetFormat, type Detection } from '../analysis/detection';
import { within, type Steps } from '../analysis/steps';
import type { Config } from '../config';
import type { GivenLabel, Uncertainty } from '../labels';
import { openReader, rangeInRow, type DatasetContainer, type SourceRow } from '../read';
import { extractRow } from '../schema/extract';
import type { TextEdit } from '../types';
import { labelCheckSteps } from './labelErrors';

/**
 * Which rows to label next, as `tuneset suggest` and the editor's "Suggest Rows to Label" panel
 * offer them: the label model's uncertainty ranking (labels/activeLearning.ts) over the rows without
 * a label, or every row, optionally density-weighted (labels/density.ts), each pick with its line, an
 * excerpt of its text, the model's guess and every label's probability. And the other way: the edits
 * that write the labels a person chose into the file (labelEdits).
 */

export interface SuggestOptions {
  /** Picks to return (default 50). */
  n?: number;
  /** Rank every readable row, labelled ones too (default: only rows without a label). */
  all?: boolean;
  strategy?: Uncertainty;
  density?: boolean;
  container?: DatasetContainer;
}

export interface Suggestion {
  /** 1-based line where the row starts. */
  line: number;
  /** The row's text, cut to EXCERPT_CHARS characters. */
  text: string;
  /** The row's label now (null: none). */
  label: string | string[] | null;
  /** The model's guess: its likeliest label, or in a multi-label file the labels at 0.5 or over. */
  guess: string | string[];
  /** Every modelled label's probability (single-label: they sum to 1; multi-label: each its own). */
  probabilities: Record<string, number>;
  /** The uncertainty (times the density weight with `density`): higher first. */
  score: number;
}

export interface SuggestResult {
  /** Why there are no picks: the model could not run (too few labels…), or the file is not classification. */
  notRun?: string;
  /** The model does no better than always guessing the commonest label: its guesses are weak (check withholds its findings). */
  weak?: string;
  multiLabel: boolean;
  /** The modelled labels, sorted (the choices a person picks from). */
  labels: string[];
  rows: number;
  /** Readable rows with a text and no label (the rows ranked without `all`). */
  unlabelledRows: number;
  strategy: Uncertainty;
  density: boolean;
  picks: Suggestion[];
}

export const EXCERPT_CHARS = 300;
const DEFAULT_PICKS = 50;

const cut = (s: string) => (s.length > EXCERPT_CHARS ? `${s.slice(0, EXCERPT_CHARS - 1)}…` : s);

/** The label as a pick shows it: a string, a list of strings, or null. */
function shownLabel(v: GivenLabel): string | string[] | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(String);
  const s = String(v);
  return s.trim() === '' ? null : s;
}

/** The rows to label next in a file's bytes, in steps (progress 0..1). */
export function* suggestSteps(path: string, bytes: Uint8Array, config: Config, options: SuggestOptions = {}): Steps<SuggestResult> {
  const strategy = options.strategy ?? 'margin';
  const density = options.density ?? false;
  // Suggesting asks for the model whatever check reports: the rule's setting only says whether its findings show.
  const settings: Config = { ...config, rules: { ...config.rules, 'possible-label-error': 'info' } };
  const check = yield* within(labelCheckSteps(path, bytes, settings, {
    ...(options.container ? { container: options.container } : {}),
    learningCurve: false,
    rowsToLabel: { n: options.n ?? DEFAULT_PICKS, uncertainty: strategy, includeLabelled: options.all ?? false, density },
  }), 0, 1);
  const empty = { multiLabel: false, labels: [], rows: 0, unlabelledRows: 0, strategy, density, picks: [] };
  const q = check.quality;
  const model = q?.outOfFold;
  if (!q || !q.model.ok || !model) return { ...empty, notRun: check.notRun ?? (q && !q.model.ok ? q.model.reason : 'the label model did not run') };
  const L = model.labels.length;
  const lineOf = check.lineOf!;
  const textOf = check.textOf!;
  const labelOf = check.labelOf!;
  const picks = (q.rowsToLabel ?? []).map((r): Suggestion => {
    const probabilities: Record<string, number> = {};
    for (let l = 0; l < L; l++) probabilities[model.labels[l]] = round(model.probabilities[r.row * L + l]);
    return { line: lineOf(r.row), text: cut(textOf(r.row)), label: shownLabel(labelOf(r.row)), guess: r.guess, probabilities, score: round(r.score) };
  });
  // Rows without a label that a person could label (unreadable rows and rows without a text are not).
  let unlabelledRows = 0;
  for (let i = 0; i < model.rows; i++) if (model.given[i] === -1 && textOf(i).trim() !== '') unlabelledRows++;
  return {
    ...(check.withheld ? { weak: check.withheld } : {}),
    multiLabel: model.multiLabel, labels: model.labels, rows: model.rows, unlabelledRows, strategy, density, picks,
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** A label a person chose for the row starting at `line`: one label, or a label set in a multi-label file. */
export interface LabelChoice {
  line: number;
  label: string | string[];
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * The edits that set each chosen row's label in a file's text (its label field's value replaced, or
 * the field added to a JSON row that lacks it), for one WorkspaceEdit; `problems` names the choices
 * that cannot be written (no such row, an unreadable row, a file without a label field). A label is
 * written as a number or a boolean when the file's labels are (the first labelled row says).
 */
export function labelEdits(path: string, bytes: Uint8Array, config: Config, choices: readonly LabelChoice[], container?: DatasetContainer): { edits: TextEdit[]; problems: string[] } {
  const reader = openReader(path, bytes, container, config);
  const detection = detectDatasetFormat(reader.rows(), config);
  const field = detection.fields.label;
  if (detection.format !== 'classification' || !field) return { edits: [], problems: [`${path}: not a classification file with a label field (read as ${detection.format})`] };
  const wanted = new Map(choices.map((c) => [c.line, c.label]));
  const builder = new FindingBuilder(reader, detection.fields, config, { fixes: true });
  // The file's labels are numbers or booleans (its first labelled row says): a chosen label that reads as one is written as one.
  let sample: unknown;
  for (const row of reader.rows()) {
    const v = isRecord(row.value) ? row.value[field] : undefined;
    if (v !== null && v !== undefined && v !== '') {
      sample = v;
      break;
    }
  }
  const raw = (s: string) => reader.container !== 'csv' && ((typeof sample === 'number' && NUMBER.test(s)) || (typeof sample === 'boolean' && (s === 'true' || s === 'false')));
  const edits: TextEdit[] = [];
  const problems: string[] = [];
  const found = new Set<number>();
  for (const row of reader.rows()) {
    if (!wanted.has(row.line)) continue;
    found.add(row.line);
    const value = row.value;
    if (row.problem || !isRecord(value)) {
      problems.push(`${path}:${row.line}: the row cannot be read, so its label cannot be set`);
      continue;
    }
    const label = wanted.get(row.line)!;
    const encoded = Array.isArray(label) ? JSON.stringify(label) : raw(label) ? label : undefined;
    const edit = setLabel(builder, row, value, detection, label, encoded, reader.container);
    if (edit) edits.push(edit);
    else problems.push(`${path}:${row.line}: the label cannot be written into this row`);
  }
  for (const c of choices) if (!found.has(c.line)) problems.push(`${path}:${c.line}: no row starts on this line`);
  edits.sort((a, b) => a.line - b.line || a.column - b.column);
  return { edits, problems };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The edit that sets one row's label, or undefined when the row offers no place for it. `encoded`:
 * the value as JSON text when it is not written as a string (a label set, a number).
 */
function setLabel(builder: FindingBuilder, row: SourceRow, value: Record<string, unknown>, detection: Detection, label: string | string[], encoded: string | undefined, container: string): TextEdit | undefined {
  const field = detection.fields.label!;
  if (field in value || container === 'csv') {
    const content = extractRow(value, detection.format, detection.fields);
    const spec = encoded === undefined
      ? { title: 'Set label', kind: 'set-value' as const, path: ['@label'], value: label as string }
      : { title: 'Set label', kind: 'set-value' as const, path: ['@label'], value: encoded, json: true };
    return builder.encodeFix(row, content, spec)?.edits[0];
  }
  // A JSON row without the field: it is added after the object's last member.
  const close = row.text.lastIndexOf('}');
  if (close < 0) return undefined;
  const at = row.text.slice(0, close).replace(/\s+$/, '').length;
  const comma = Object.keys(value).length ? ', ' : '';
  return { ...rangeInRow(row, at, at), newText: `${comma}${JSON.stringify(field)}: ${encoded ?? JSON.stringify(label)}` };
}
