/**
 * The rows the label model learns from, encoded, and the reasons it cannot run when there is nothing
 * to learn. A row's label is a string (single-label), an array of strings (multi-label), or null /
 * missing / '' for an unlabelled row. A file is multi-label when most of its labelled rows hold arrays
 * (see isMultiLabel); in a multi-label file a lone string is a one-label set and an empty array is a
 * labelled row to which no label applies. In a single-label file the odd row holding an array is left
 * out of the model (neither learnt from nor counted as labelled, like a label with too few rows): one
 * stray row of another shape must not turn 100,000 single labels into as many one-vs-rest questions.
 * The rule pass already reports such a row's label (inconsistent label types).
 */

export type GivenLabel = string | number | boolean | readonly (string | number)[] | null | undefined;

/** What the host hands the model: one text and one label value per row, in file order. */
export interface LabelInput {
  texts: readonly string[];
  labels: readonly GivenLabel[];
}

export interface EncodedLabels {
  multiLabel: boolean;
  /** The labels the model learns, sorted; labels with too few rows are left out (see `leftOut`). */
  names: string[];
  /** Rows per modelled label (multi-label: rows holding it). */
  counts: number[];
  /**
   * Single-label: the given label's index, UNLABELLED or LEFT_OUT. Multi-label: 0 for a labelled row,
   * or UNLABELLED.
   */
  given: Int32Array;
  /** Multi-label only: present[i * names.length + l] is 1 when row i holds label l. */
  present?: Uint8Array;
  /** Labels with fewer rows than the minimum, and their counts. */
  leftOut: { label: string; rows: number }[];
  labelledRows: number;
  unlabelledRows: number;
  /** Single-label files: rows holding an array of labels, left out of the model. */
  oddRows: number;
}

export const UNLABELLED = -1;
export const LEFT_OUT = -2;

const labelText = (value: string | number | boolean) => String(value).trim();

const isEmpty = (value: GivenLabel) => value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

/** Encodes the rows' labels, or says in words why there is nothing a model could learn. */
export function encodeLabels(input: LabelInput, minRowsPerLabel: number): EncodedLabels | { reason: string } {
  const { texts, labels } = input;
  if (texts.length !== labels.length) throw new Error(`label model: ${texts.length} texts but ${labels.length} labels`);
  const n = texts.length;
  const multiLabel = isMultiLabel(labels);
  const tally = new Map<string, number>();
  let labelledRows = 0;
  for (const value of labels) {
    if (isEmpty(value) || (!multiLabel && Array.isArray(value))) continue;
    labelledRows++;
    const names = Array.isArray(value) ? new Set(value.map(labelText).filter((s) => s !== '')) : [labelText(value as string)];
    for (const name of names) tally.set(name, (tally.get(name) ?? 0) + 1);
  }
  if (labelledRows === 0) return { reason: n === 0 ? 'the file has no rows' : `none of the ${n} rows has a label` };
  const all = [...tally.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (all.length < 2) {
    const only = all.length ? `only one label ('${all[0][0]}')` : 'no label';
    return { reason: `${only} among ${labelledRows} labelled rows: there is nothing to tell apart` };
  }
  const kept = all.filter(([, count]) => count >= minRowsPerLabel);
  const leftOut = all.filter(([, count]) => count < minRowsPerLabel).map(([label, rows]) => ({ label, rows }));
  if (kept.length < 2) {
    const shown = all.slice(0, 6).map(([l, c]) => `${l}: ${c}`).join(', ') + (all.length > 6 ? ', …' : '');
    return { reason: `fewer than 2 labels have at least ${minRowsPerLabel} rows (${shown}); label more rows or lower the minimum rows per label` };
  }
  const names = kept.map(([l]) => l);
  const { given, present, modelled } = encodeWithNames(labels, names, multiLabel);
  const unlabelledRows = labels.reduce((k: number, v) => k + (isEmpty(v) ? 1 : 0), 0);
  const oddRows = n - unlabelledRows - labelledRows;
  return { multiLabel, names, counts: kept.map(([, c]) => c), given, present, leftOut, labelledRows: modelled, unlabelledRows, oddRows };
}

/**
 * Whether a file's labels are multi-label: more than half of its labelled rows hold an array. A few
 * array rows among strings are odd rows (left out of a single-label model); a few strings among arrays
 * are one-label sets.
 */
export function isMultiLabel(labels: readonly GivenLabel[]): boolean {
  let arrays = 0;
  let labelled = 0;
  for (const value of labels) {
    if (isEmpty(value)) continue;
    labelled++;
    if (Array.isArray(value)) arrays++;
  }
  return arrays * 2 > labelled;
}

/**
 * Encodes labels against a known list of label names (another file's, for a held-out split): a
 * single label not in the list is LEFT_OUT; in a multi-label file unknown labels are dropped.
 */
export function encodeWithNames(labels: readonly GivenLabel[], names: readonly string[], multiLabel: boolean): { given: Int32Array; present?: Uint8Array; modelled: number } {
  const n = labels.length;
  const index = new Map(names.map((l, i) => [l, i]));
  const given = new Int32Array(n);
  const L = names.length;
  const present = multiLabel ? new Uint8Array(n * L) : undefined;
  let modelled = 0;
  for (let i = 0; i < n; i++) {
    const value = labels[i];
    if (isEmpty(value)) {
      given[i] = UNLABELLED;
      continue;
    }
    if (present) {
      const list = Array.isArray(value) ? value : [value as string];
      for (const v of list) {
        const l = index.get(labelText(v));
        if (l !== undefined) present[i * L + l] = 1;
      }
      given[i] = 0;
      modelled++;
      continue;
    }
    const l = Array.isArray(value) ? undefined : index.get(labelText(value as string));
    given[i] = l ?? LEFT_OUT;
    if (l !== undefined) modelled++;
  }
  return { given, present, modelled };
}
