import { detectDatasetFormat, type Detection } from './analyze';
import { planBalance, type BalanceOptions } from './augment/balance';
import { ALL_OPERATIONS, type AugmentOperation, type ChangedText, type SynonymProvider } from './augment/operations';
import { STOPWORDS } from './augment/stopwords';
import { defaultSelectors } from './augment/targetFields';
import { CopyGenerator, type RowAugmenter } from './augment/variants';
import { DEFAULT_CONFIG } from './config';
import { OptionsError } from './optionsError';
import { HeldOutIndex } from './augment/heldOut';
import type { SourceRow } from './read';
import type { JsonPath } from './read/jsonScan';
import type { FieldMap } from './schema/formats';
import { mixSeed, seededRandom } from './seededRandom';
import type { FormatName } from './types';
import { usableRow, type ExcludedRow } from './usableRows';

export { AUGMENT_OPERATIONS, type AugmentOperation, type SynonymProvider, type ChangedText } from './augment/operations';
export type { BalanceOptions } from './augment/balance';
export type { TextSpan } from './augment/words';
export { STOPWORDS } from './augment/stopwords';
export { renderAugmented, augmentedFileName, type RenderAugmentedOptions } from './augment/renderAugmented';

/** What the user chose for an augmentation; everything is optional and defaulted. */
export interface AugmentOptions {
  /** Operations to draw from for each new row (default all five). */
  operations?: AugmentOperation[];
  /** α: share of words changed (per operation or one for all; default 0.1). α 0 turns an operation off. */
  alpha?: number | Partial<Record<AugmentOperation, number>>;
  /** New rows per source row (default 1). Not used with `balance`. */
  n?: number;
  /** Same seed, same rows, on every machine (default 42). */
  seed?: number;
  /** Which texts to augment (see targetFields.ts); default the format's prompt-side text. */
  fields?: string[];
  /** Synonym lookup, injected by the host (WordNet); needed for sr and ri. */
  synonyms?: SynonymProvider;
  /** Words never replaced or deleted (default: natural's English list plus negations). */
  stopwords?: ReadonlySet<string>;
  /** Grow the smaller classes by augmenting, or shrink the larger ones, to a target count. */
  balance?: BalanceOptions;
  /** Field recording the source line on each new row (default "augmented_from"); null for none. */
  provenanceField?: string | null;
  /** Rows of the val/test splits: a new row equal or near-identical to one of them is flagged and not written. */
  heldOut?: { file: string; rows: Iterable<SourceRow> }[];
  /** Jaccard similarity from which a new row counts as repeating a held-out row (default 0.8, as the near-duplicate rule). */
  nearDuplicateThreshold?: number;
  /** Preview: augment only these row indexes (with the copies they would get in a full run). */
  sample?: readonly number[];
  /** The format and fields; detected from the rows when absent. */
  detection?: Detection;
}

export interface AppliedAugmentOptions {
  operations: AugmentOperation[];
  alpha: Record<AugmentOperation, number>;
  n: number;
  seed: number;
  fields: string[];
  balance?: { method: BalanceOptions['method']; target: number };
  provenanceField: string | null;
}

/** One changed text of a new row: the original beside the new text, with spans to highlight. */
export interface AugmentedPart extends ChangedText {
  /** A name to show, e.g. "text" or "messages[2].content (user)". */
  field: string;
  path: JsonPath;
  original: string;
}

/** One new row. */
export interface AugmentedRow {
  sourceIndex: number;
  sourceLine: number;
  /** 1-based number of this variant of the source row. */
  copy: number;
  label?: string;
  operation: AugmentOperation;
  parts: AugmentedPart[];
  /** Set when the new row equals a held-out row: such rows are not written. */
  leak?: { file: string; line: number; similarity: number };
}

/** A source row augmentation could not change, with the reason. */
export interface UnchangedRow {
  index: number;
  line: number;
  reason: string;
}

export interface AugmentResult {
  options: AppliedAugmentOptions;
  format: FormatName;
  fields: FieldMap;
  /** New rows by source row and copy. */
  rows: AugmentedRow[];
  unchanged: UnchangedRow[];
  /** Rows left out (structure errors), with line and reason. */
  excluded: ExcludedRow[];
  /** Source row indexes written to the output (all usable rows unless downsampling). */
  kept: number[];
  labels: { before: Record<string, number>; after: Record<string, number> };
  /** New rows equal to a held-out row. */
  leaks: number;
  warnings: string[];
}

const ALL = ALL_OPERATIONS;

/** Fills defaults and returns the problems with the options (empty when they are usable). */
export function resolveAugmentOptions(options: AugmentOptions): { applied: AppliedAugmentOptions; problems: string[] } {
  const problems: string[] = [];
  const chosen = options.operations ?? ALL;
  for (const op of chosen) if (!ALL.includes(op)) problems.push(`unknown operation "${op}" (use ${ALL.join(', ')})`);
  const alpha = Object.fromEntries(ALL.map((op) => [op, typeof options.alpha === 'number' ? options.alpha : (options.alpha?.[op] ?? 0.1)])) as Record<AugmentOperation, number>;
  for (const op of ALL) if (!(alpha[op] >= 0 && alpha[op] <= 1)) problems.push(`α for ${op} must be between 0 and 1, not ${alpha[op]}`);
  const operations = ALL.filter((op) => chosen.includes(op) && alpha[op] > 0);
  if (!operations.length) problems.push('no operation left to apply (none chosen, or every chosen one has α 0)');
  const n = options.n ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 1000) problems.push(`n must be a whole number from 1 to 1000, not ${n}`);
  const seed = options.seed ?? 42;
  if (!Number.isSafeInteger(seed) || seed < 0) problems.push(`the seed must be a whole number of 0 or more, not ${seed}`);
  if (!options.synonyms && (operations.includes('sr') || operations.includes('ri'))) problems.push('synonym replacement and insertion need a synonym provider');
  const target = options.balance?.target;
  if (target !== undefined && !(Number.isInteger(target) && target >= 1)) problems.push(`the balance target must be a whole number of at least 1, not ${target}`);
  const provenanceField = options.provenanceField === undefined ? 'augmented_from' : options.provenanceField;
  if (provenanceField !== null && provenanceField.trim() === '') problems.push('the provenance field needs a name');
  const applied: AppliedAugmentOptions = { operations, alpha, n, seed, fields: options.fields ?? [], provenanceField };
  if (options.balance) applied.balance = { method: options.balance.method, target: target ?? 0 };
  return { applied, problems };
}

/**
 * Augments a file's rows with EDA operations, n new rows per row or as many as balancing needs.
 * Pure and seeded: each new row depends only on (seed, row, copy), so a preview of a `sample` shows
 * exactly what a full run writes. Throws an OptionsError listing the problems when the options are unusable.
 */
export function augmentDataset(rows: readonly SourceRow[], options: AugmentOptions = {}): AugmentResult {
  const { applied, problems } = resolveAugmentOptions(options);
  const detection = options.detection ?? detectDatasetFormat(rows, DEFAULT_CONFIG);
  const selectors = applied.fields.length ? applied.fields : defaultSelectors(detection.format, detection.fields);
  applied.fields = selectors;
  if (!selectors.length) problems.push(`cannot tell which field holds the text (format: ${detection.format}); name the fields to augment`);
  const labelField = detection.fields.label;
  if (labelField !== undefined && selectors.includes(labelField)) problems.push(`"${labelField}" is the label field: augmenting it would change labels`);
  if (applied.provenanceField !== null && (selectors.includes(applied.provenanceField) || applied.provenanceField === labelField)) problems.push(`the provenance field "${applied.provenanceField}" is a field being augmented or the label`);
  if (problems.length) throw new OptionsError(problems);

  // Pass 1: which rows are usable and their labels (balancing needs the counts before generating).
  const excluded: ExcludedRow[] = [];
  const usable = new Array<boolean>(rows.length).fill(false);
  const label = new Array<number>(rows.length).fill(-1);
  const labelNames: string[] = [];
  const labelIds = new Map<string, number>();
  rows.forEach((row, i) => {
    // Results name rows by index (sourceIndex, kept); positions and indexes must agree.
    if (row.index !== i) throw new Error(`augment: pass all of a file's rows in order (row ${row.index} is at position ${i}); use \`sample\` for a preview`);
    const u = usableRow(row, detection);
    if (u.excluded) return void excluded.push(u.excluded);
    usable[i] = true;
    const l = u.content.label;
    if (l === undefined) return;
    let id = labelIds.get(l);
    if (id === undefined) labelIds.set(l, (id = labelNames.push(l) - 1));
    label[i] = id;
  });
  const warnings: string[] = [];
  if (options.balance && !labelNames.length) throw new OptionsError(['balancing needs labels, and no row has one']);

  const planRandom = seededRandom(mixSeed(applied.seed, 0x6a09e667));
  const plan = options.balance ? planBalance(label, usable, labelNames.length, options.balance, planRandom) : undefined;
  if (applied.balance && plan) applied.balance.target = plan.target;
  const copies = plan ? plan.copies : usable.map((u) => (u ? applied.n : 0));
  const kept = plan ? indexesWhere(plan.keep) : indexesWhere(usable);

  const heldOut = new HeldOutIndex(options.heldOut, detection, options.nearDuplicateThreshold);
  const generator = new CopyGenerator(applied, options.synonyms ?? (() => []), options.stopwords ?? STOPWORDS, detection, heldOut);
  const out: AugmentedRow[] = [];
  const unchanged: UnchangedRow[] = [];
  const augmenters = new Map<number, RowAugmenter>();
  const augmenterOf = (i: number) => {
    let a = augmenters.get(i);
    if (!a) augmenters.set(i, (a = generator.forRow(rows[i], label[i] < 0 ? undefined : labelNames[label[i]])));
    return a;
  };
  const sample = options.sample ? new Set(options.sample) : undefined;
  let fewer = 0;
  for (let i = 0; i < rows.length; i++) {
    if (!copies[i] || (sample && !sample.has(i))) continue;
    const a = augmenterOf(i);
    for (let k = 1; k <= copies[i] && a.live; k++) a.next(k, out);
    if (a.made === 0 && a.reason) unchanged.push({ index: i, line: rows[i].line, reason: a.reason });
    else if (a.made < copies[i]) fewer++;
    // Only balancing comes back to a row; the rest need not keep their state.
    if (!plan) augmenters.delete(i);
  }
  if (fewer) warnings.push(`${fewer} row${fewer === 1 ? '' : 's'} gave fewer different variants than asked (short or repetitive texts)`);
  if (plan && options.balance?.method === 'augment' && !sample) fillShortfall(plan, out, augmenterOf, labelNames, warnings);
  if (!sample && generator.targetsFound === 0 && copies.some((c) => c > 0)) warnings.push(`No row has text in the chosen fields (${selectors.join(', ')})`);
  out.sort((a, b) => a.sourceIndex - b.sourceIndex || a.copy - b.copy);
  const leaks = out.filter((r) => r.leak).length;
  if (unchanged.length) warnings.push(`${unchanged.length} row${unchanged.length === 1 ? '' : 's'} could not be changed (listed with the reason)`);
  if (leaks) warnings.push(`${leaks} new row${leaks === 1 ? '' : 's'} repeat${leaks === 1 ? 's' : ''} a held-out (val/test) row exactly or nearly and ${leaks === 1 ? 'is' : 'are'} left out`);

  const before = countLabels(labelNames, usable.map((u, i) => (u ? label[i] : -2)));
  const afterIds = kept.map((i) => label[i]).concat(out.filter((r) => !r.leak).map((r) => label[r.sourceIndex]));
  const after = countLabels(labelNames, afterIds);
  return { options: applied, format: detection.format, fields: detection.fields, rows: out, unchanged, excluded, kept, labels: { before, after }, leaks, warnings };
}

/** Balancing: rows that could not give their planned copies leave a shortfall; the class's other rows take it in turns. */
function fillShortfall(plan: NonNullable<ReturnType<typeof planBalance>>, out: AugmentedRow[], augmenterOf: (i: number) => RowAugmenter, labelNames: string[], warnings: string[]): void {
  plan.classes.forEach(({ rows, need }, c) => {
    let short = need - out.filter((r) => r.label === labelNames[c] && !r.leak).length;
    let live = rows.filter((r) => augmenterOf(r).live);
    while (short > 0 && live.length) {
      for (const r of live) {
        if (short <= 0) break;
        const a = augmenterOf(r);
        if (a.next(a.tried + 1, out) && !out[out.length - 1].leak) short--;
      }
      live = live.filter((r) => augmenterOf(r).live);
    }
    if (short > 0) warnings.push(`"${labelNames[c]}" reached ${plan.target - short} of ${plan.target} rows: its rows could not be varied enough`);
    const perRow = rows.length ? need / rows.length : 0;
    if (perRow > 20) warnings.push(`"${labelNames[c]}": each row is augmented about ${Math.round(perRow)} times; the variants will be close to each other`);
  });
}

function indexesWhere(flags: readonly boolean[]): number[] {
  const out: number[] = [];
  flags.forEach((f, i) => f && out.push(i));
  return out;
}

function countLabels(names: string[], ids: readonly number[]): Record<string, number> {
  const counts = new Array<number>(names.length).fill(0);
  let none = 0;
  for (const id of ids) {
    if (id >= 0) counts[id]++;
    else if (id === -1) none++;
  }
  const out: Record<string, number> = Object.fromEntries(names.map((n, i) => [n, counts[i]]));
  if (none) out['(no label)'] = none;
  return out;
}
