// Room: augment. New rows from old ones (EDA: synonym replacement, insertion, swap, deletion,
// sentence shuffle) or classes balanced: the plan and the variants one row at a time (this file,
// variants.ts, operations.ts on words.ts/preparedText.ts), never a copy of a held-out row (heldOut.ts),
// written by renderAugmented.ts. The shapes asked for and given back are in types.ts.
import { detectDatasetFormat, type Detection } from '../analysis/detection';
import { planBalance, type BalancePlan } from './balance';
import { ALL_OPERATIONS, DEFAULT_OPERATIONS, MODEL_OPERATIONS, type AugmentOperation } from './operations';
import { STOPWORDS } from './stopwords';
import { defaultSelectors } from './targetFields';
import { CopyGenerator, type RowAugmenter } from './variants';
import { DEFAULT_CONFIG, ruleSeverity, type Config } from '../config';
import { labelVariants } from '../rules/labels';
import { OptionsError } from '../optionsError';
import { HeldOutIndex } from './heldOut';
import { LabelLexicon } from './labelWords';
import { RowChecks } from './rowChecks';
import { LabelFlips } from './labelFlip';
import { FileIndex } from './fileIndex';
import type { SourceRow } from '../read';
import type { FieldMap } from '../schema/formats';
import { mixSeed, seededRandom } from '../seededRandom';
import type { FormatName } from '../types';
import { usableRow, type ExcludedRow } from '../schema/usableRows';
import { spliced } from '../columns';
import type { AppliedAugmentOptions, AugmentedRow, AugmentOptions, AugmentResult, UnchangedRow } from './types';

export { AUGMENT_OPERATIONS, DEFAULT_OPERATIONS, MODEL_OPERATIONS, NO_THESAURUS, type AugmentOperation, type SynonymProvider, type ChangedText, type Rewrites } from './operations';
export type { Tagger, WordNetPos } from './preparedText';
export type { BalanceOptions } from './balance';
export type { TextSpan } from './words';
export { STOPWORDS } from './stopwords';
export { MAX_VARIANTS_PER_ROW } from './variants';

const ALL = ALL_OPERATIONS;

/** ", not 1.5" after a problem with a value; for an empty form field (NaN, or null once sent as JSON) no value to quote. */
function given(value: number): string {
  return typeof value !== 'number' || Number.isNaN(value) ? ' (the field is empty or not a number)' : `, not ${value}`;
}

/** Fills defaults and returns the problems with the options (empty when they are usable). */
export function resolveAugmentOptions(options: AugmentOptions): { applied: AppliedAugmentOptions; problems: string[] } {
  const problems: string[] = [];
  const chosen = options.operations ?? DEFAULT_OPERATIONS;
  for (const op of chosen) if (!ALL.includes(op)) problems.push(`unknown operation "${op}" (use ${ALL.join(', ')})`);
  const alpha = Object.fromEntries(ALL.map((op) => [op, typeof options.alpha === 'number' ? options.alpha : (options.alpha?.[op] ?? (op === 'cn' ? 0.05 : 0.1))])) as Record<AugmentOperation, number>;
  if (typeof options.alpha === 'number') {
    if (!(options.alpha >= 0 && options.alpha <= 1)) problems.push(`α (the share of words each new row changes) must be a number from 0 to 1, such as 0.1${given(options.alpha)}`);
  } else {
    for (const op of ALL) if (!(alpha[op] >= 0 && alpha[op] <= 1)) problems.push(`α for ${op} must be between 0 and 1${given(alpha[op])}`);
  }
  const operations = ALL.filter((op) => chosen.includes(op) && alpha[op] > 0);
  if (!operations.length) problems.push('no operation left to apply (none chosen, or every chosen one has α 0)');
  const n = options.n ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 1000) problems.push(`new rows per row: n must be a whole number from 1 to 1000${given(n)}`);
  const seed = options.seed ?? 42;
  if (!Number.isSafeInteger(seed) || seed < 0) problems.push(`the seed must be a whole number of 0 or more${given(seed)}`);
  if (!options.synonyms && (operations.includes('sr') || operations.includes('ri'))) problems.push('synonym replacement and insertion need a synonym provider');
  if (!options.rewrites && operations.some((op) => MODEL_OPERATIONS.includes(op))) problems.push('back-translation and paraphrase need a model endpoint (the augment.endpoint setting)');
  const target = options.balance?.target;
  if (target !== undefined && !(Number.isInteger(target) && target >= 1)) problems.push(`the target count must be a whole number of at least 1${given(target)}`);
  const provenanceField = options.provenanceField === undefined ? 'augmented_from' : options.provenanceField;
  if (provenanceField !== null && provenanceField.trim() === '') problems.push('the provenance field needs a name');
  const applied: AppliedAugmentOptions = { operations, alpha, n, seed, fields: options.fields ?? [], provenanceField };
  if (options.balance) applied.balance = { method: options.balance.method, target: target ?? 0 };
  return { applied, problems };
}

/**
 * Augments a file's rows with EDA operations, n new rows per row or as many as balancing needs.
 * Pure and seeded: each new row depends only on (seed, row, copy), so a preview of a `sample` shows
 * exactly what a full run writes. Throws an OptionsError listing the problems when the options are
 * unusable. The result holds every new row: a host writing an augmentation of any size uses
 * planAugmentation instead, which makes them one source row at a time.
 */
export function augmentDataset(rows: readonly SourceRow[], options: AugmentOptions = {}): AugmentResult {
  const augmentation = planAugmentation(rows, options);
  const made = [...augmentation.newRows((i) => rows[i])];
  const { options: applied, format, fields, unchanged, excluded, kept, labels, leaks, skipped, redacted, dropped, warnings, byOperation } = augmentation.summary();
  return { options: applied, format, fields, rows: made, unchanged, excluded, kept, labels, leaks, skipped, redacted, dropped, warnings, byOperation };
}

/** What an augmentation did, without its new rows (a host wrote them as they were made). */
export interface AugmentSummary extends Omit<AugmentResult, 'rows'> {
  /** New rows made, written or not (one equal to a held-out row is made and left out). */
  made: number;
  /** The first new rows equal to a held-out row (LEAKS_LISTED at most; `leaks` counts them all). */
  leakedRows: AugmentedRow[];
}

/** Rows the plan's columns hold before they first grow (they double when full). */
const FIRST_ROWS = 1024;

/** New rows equal to a held-out row that a summary lists; the rest are counted. */
export const LEAKS_LISTED = 100;

/**
 * Plans an augmentation from one pass over a file's rows (in file order; a generator will do): which
 * rows are usable, their labels, how many new rows each is asked for. Throws an OptionsError listing
 * the problems when the options are unusable. Nothing is generated yet: see Augmentation.
 */
export function planAugmentation(rows: Iterable<SourceRow>, options: AugmentOptions = {}): Augmentation {
  return new Augmentation(rows, options);
}

/**
 * An augmentation planned from one pass over a file's rows, whose new rows are then made one source
 * row at a time in the order they are written (by source row, then copy). What it holds is the plan
 * (a few numbers a row) and the variants of the row at hand, never the new rows: a host writes each
 * as it comes, so memory does not grow with the number of new rows asked for. Balancing reads the
 * rows it augments more than once (see newRows).
 */
export class Augmentation {
  readonly options: AppliedAugmentOptions;
  readonly format: FormatName;
  readonly fields: FieldMap;
  readonly excluded: ExcludedRow[] = [];
  /** Source row indexes written to the output (all usable rows unless downsampling). */
  readonly kept: number[];
  /** Rows read. */
  readonly rowCount: number;
  /** New rows asked for (by --n, or balancing's shortfall): what a host checks before making them. */
  readonly asked: number;

  // The plan in typed columns, a few bytes a row (JS arrays take eight bytes an entry, more as they grow).
  /** 1 for a usable row, 0 for one left out. */
  private usable = new Uint8Array(FIRST_ROWS);
  /** Index into labelNames, or -1 for a row without a label. */
  private label = new Int32Array(FIRST_ROWS);
  private readonly labelNames: string[] = [];
  private readonly copies: Int32Array;
  private readonly plan: BalancePlan | undefined;
  private readonly fillsShortfall: boolean;
  private readonly sample: Set<number> | undefined;
  private readonly generator: CopyGenerator;
  private readonly selectors: string[];
  private readonly scratch: AugmentedRow[] = [];
  private state: 'planned' | 'making' | 'made' = 'planned';
  // Tallies of the new rows made, for the summary.
  private made = 0;
  private readonly byOperation = new Map<AugmentOperation, number>();
  private leaks = 0;
  private readonly leakedRows: AugmentedRow[] = [];
  private readonly unchanged: UnchangedRow[] = [];
  private fewer = 0;
  private readonly after: number[];
  private unlabeledAfter = 0;
  private readonly fillWarnings: string[] = [];
  private noTargets = false;
  /** 1 for a usable row a rule found a problem in: kept as it is, not augmented. */
  private skip = new Uint8Array(FIRST_ROWS);
  private readonly skipped = new Map<string, number>();
  /** The rule that kept each skipped row from being augmented. */
  private readonly skipRule = new Map<number, string>();
  /** Source rows whose credentials and personal data were redacted before augmenting (with redact): their redacted value. */
  private readonly redactedValues = new Map<number, Record<string, unknown>>();
  private readonly redacted = new Map<string, number>();
  /** Per row, an index into ruleSets: the rules with a finding in the row (a new row may have no other). */
  private rulesOf = new Int32Array(FIRST_ROWS);
  private readonly ruleSets: string[] = [''];
  private readonly ruleSetIds = new Map<string, number>([['', 0]]);
  private readonly checks: RowChecks | undefined;
  private readonly fileRows: FileIndex | undefined;
  private readonly lexicon: LabelLexicon;
  private readonly redact: boolean;
  /** The label model new rows are checked against (classification files, with the row checks). */
  private readonly flips: LabelFlips | undefined;
  private readonly reject: ReadonlySet<AugmentOperation>;
  private readonly rejected = new Map<AugmentOperation, number>();

  constructor(rows: Iterable<SourceRow>, options: AugmentOptions) {
    const { applied, problems } = resolveAugmentOptions(options);
    let detection = options.detection;
    if (!detection) {
      // A generator is read once: the rows detection looks at must also reach the pass below.
      const list = Array.isArray(rows) ? (rows as SourceRow[]) : [...rows];
      detection = detectDatasetFormat(list, DEFAULT_CONFIG);
      rows = list;
    }
    const selectors = applied.fields.length ? applied.fields : defaultSelectors(detection.format, detection.fields);
    applied.fields = selectors;
    if (!selectors.length) problems.push(`cannot tell which field holds the text (format: ${detection.format}); name the fields to augment`);
    const labelField = detection.fields.label;
    if (labelField !== undefined && selectors.includes(labelField)) problems.push(`"${labelField}" is the label field: augmenting it would change labels`);
    if (applied.provenanceField !== null && (selectors.includes(applied.provenanceField) || applied.provenanceField === labelField)) problems.push(`the provenance field "${applied.provenanceField}" is a field being augmented or the label`);
    if (problems.length) throw new OptionsError(problems);
    this.options = applied;
    this.format = detection.format;
    this.fields = detection.fields;
    this.selectors = selectors;

    const check = options.checkRows !== false;
    this.redact = options.redact === true;
    this.flips = check && options.labelFlips !== false && detection.format === 'classification' && detection.fields.label !== undefined ? new LabelFlips() : undefined;
    this.reject = new Set(options.reject ?? []);
    this.checks = check ? new RowChecks(detection, options.config ?? DEFAULT_CONFIG) : undefined;
    const config = options.config ?? DEFAULT_CONFIG;
    this.fileRows = this.checks ? new FileIndex(this.checks.bandsPerRow, config.nearDuplicateThreshold, config.nearDuplicateShingleSize) : undefined;
    this.lexicon = new LabelLexicon(options.polarWords);

    // Pass 1: which rows are usable and their labels (balancing needs the counts before generating).
    this.rowCount = this.readLabels(rows, detection);
    if (check) this.skipLabelVariants(config);
    if (check) this.skipConflicts();
    this.fileRows?.seal();
    if (options.balance && !this.labelNames.length) throw new OptionsError(['balancing needs labels, and no row has one']);
    const planRandom = seededRandom(mixSeed(applied.seed, 0x6a09e667));
    this.plan = options.balance ? planBalance(this.label, this.usable, this.labelNames.length, options.balance, planRandom) : undefined;
    if (applied.balance && this.plan) applied.balance.target = this.plan.target;
    this.copies = this.plan ? this.plan.copies : Int32Array.from(this.usable, (u) => (u ? applied.n : 0));
    // A row a rule found a problem in is written as it is, never copied.
    for (let i = 0; i < this.copies.length; i++) if (this.skip[i]) this.copies[i] = 0;
    this.asked = 0;
    for (let i = 0; i < this.copies.length; i++) this.asked += this.copies[i];
    this.kept = this.plan ? indexesWhere(this.plan.keep) : indexesWhere(this.usable);
    this.sample = options.sample ? new Set(options.sample) : undefined;
    this.fillsShortfall = !!this.plan && options.balance?.method === 'augment' && !this.sample;
    this.after = new Array<number>(this.labelNames.length).fill(0);
    for (const i of this.kept) this.countAfter(i);

    const heldOut = new HeldOutIndex(options.heldOut, detection, options.nearDuplicateThreshold);
    const lexicon = this.lexicon;
    const labelIds = new Map(this.labelNames.map((n, c) => [n, c]));
    const labelWords = (label: string) => {
      const id = labelIds.get(label);
      return id === undefined ? undefined : (lower: string) => lexicon.has(id, lower);
    };
    this.generator = new CopyGenerator(
      applied, options.synonyms ?? (() => []), options.stopwords ?? STOPWORDS, detection, heldOut,
      { fileRows: this.fileRows, rules: this.checks, labelWords, sourceRules: (i) => this.sourceRules(i), labelFlip: this.flips && ((key, i, sourceKey) => this.labelFlip(key, i, sourceKey)) }, options.tagger, options.rewrites,
    );
  }

  /** Reads which rows are usable and their labels; returns how many rows were read. */
  private readLabels(rows: Iterable<SourceRow>, detection: Detection): number {
    const labelIds = new Map<string, number>();
    let i = 0;
    for (const row of rows) {
      // Results name rows by index (sourceIndex, kept); positions and indexes must agree.
      if (row.index !== i) throw new Error(`augment: pass all of a file's rows in order (row ${row.index} is at position ${i}); use \`sample\` for a preview`);
      if (i === this.usable.length) {
        this.usable = spliced(this.usable, i, 0, i);
        this.label = spliced(this.label, i, 0, i);
        this.skip = spliced(this.skip, i, 0, i);
        this.rulesOf = spliced(this.rulesOf, i, 0, i);
      }
      this.label[i] = -1;
      i++;
      const u = usableRow(row, detection);
      if (u.excluded) {
        this.excluded.push(u.excluded);
        this.fileRows?.add(row.index, '', undefined);
        continue;
      }
      this.usable[row.index] = 1;
      let verdict = this.checks?.check(row);
      this.fileRows?.add(row.index, u.content.key, verdict?.bands);
      if (this.checks) this.textLabels(row.index, u.content.key, u.content.label);
      if (verdict?.rule && this.redact && isPrivacyRule(verdict.rule)) {
        // Redacted as the quick fixes do, then augmented from the redacted text (the row itself is written as it is).
        const clean = this.checks!.redacted(row);
        if (clean) {
          this.redactedValues.set(row.index, clean.value);
          this.redacted.set(verdict.rule, (this.redacted.get(verdict.rule) ?? 0) + 1);
          verdict = clean.verdict;
        }
      }
      if (verdict) this.rulesOf[row.index] = this.ruleSetId(verdict.found);
      const problem = verdict?.rule;
      if (problem) {
        this.skip[row.index] = 1;
        this.skipRule.set(row.index, problem);
        this.skipped.set(problem, (this.skipped.get(problem) ?? 0) + 1);
      }
      const l = u.content.label;
      if (l === undefined) continue;
      let id = labelIds.get(l);
      if (id === undefined) labelIds.set(l, (id = this.labelNames.push(l) - 1));
      this.label[row.index] = id;
      if (!problem) {
        this.lexicon.add(id, u.content.key);
        this.flips?.add(u.content.key, id);
      }
    }
    this.usable = this.usable.subarray(0, i);
    this.label = this.label.subarray(0, i);
    this.skip = this.skip.subarray(0, i);
    this.rulesOf = this.rulesOf.subarray(0, i);
    return i;
  }

  /** Why a new row is dropped as a label flip, or undefined. */
  private labelFlip(key: string, sourceIndex: number, sourceKey: () => string): string | undefined {
    const flips = this.flips!;
    const id = this.label[sourceIndex];
    if (id < 0 || !flips.judges(id)) return undefined;
    return flips.flip(sourceIndex, sourceKey, id, key) < 0 ? undefined : 'label flip (the label model reads the new row as another label)';
  }

  private ruleSetId(rules: string): number {
    let id = this.ruleSetIds.get(rules);
    if (id === undefined) this.ruleSetIds.set(rules, (id = this.ruleSets.push(rules) - 1));
    return id;
  }

  /** The rules with a finding in a source row (its redacted value's, when it was redacted). */
  sourceRules(index: number): string {
    return this.ruleSets[this.rulesOf[index]] ?? '';
  }

  /**
   * A new row of a redacted source: its other texts are written redacted too (the written row is its
   * source's text with the parts replaced, and the source is written as it was).
   */
  private addRedactions(row: AugmentedRow): void {
    const original = this.generator.rowAt!(row.sourceIndex).value;
    const redacted = this.redactedValues.get(row.sourceIndex);
    const taken = new Set(row.parts.map((p) => p.path.join('\u0001')));
    for (const { path, before, after } of changedStrings(original, redacted, [])) {
      if (taken.has(path.join('\u0001'))) continue;
      row.parts.push({ field: path.join('.'), path, original: before, text: after, changed: [], removed: [] });
    }
  }

  /** A source row as augmentation varies it: redacted when it was. */
  private sourceOf(rowAt: (index: number) => SourceRow): (index: number) => SourceRow {
    if (!this.redactedValues.size) return rowAt;
    return (i) => {
      const row = rowAt(i);
      const value = this.redactedValues.get(i);
      return value ? { ...row, value } : row;
    };
  }

  /** Per normalised text: the label of its first row, and whether rows of that text disagree on the label. */
  private readonly byText = new Map<number, { label: string | undefined; conflict: boolean }>();

  private textLabels(index: number, key: string, label: string | undefined): void {
    if (key.trim() === '') return;
    const h = this.fileRows!.hashOf(index);
    const seen = this.byText.get(h);
    if (!seen) this.byText.set(h, { label, conflict: false });
    else if (seen.label !== label) seen.conflict = true;
  }

  /** Rows whose text other rows carry with another label (conflicting-labels, an error): copies would multiply the conflict. */
  private skipConflicts(): void {
    const conflicted = new Set<number>();
    for (const [h, t] of this.byText) if (t.conflict) conflicted.add(h);
    this.byText.clear();
    for (let i = 0; i < this.usable.length && conflicted.size; i++) {
      if (!this.usable[i] || this.skip[i] || !conflicted.has(this.fileRows!.hashOf(i))) continue;
      this.skip[i] = 1;
      this.skipRule.set(i, 'conflicting-labels');
      this.skipped.set('conflicting-labels', (this.skipped.get('conflicting-labels') ?? 0) + 1);
    }
  }

  /**
   * Rows whose label is a variant of a more common one ("Positive " beside "positive", "postive"):
   * label-variant's finding, which copies would multiply. Needs every label's count, so after pass 1.
   */
  private skipLabelVariants(config: Config): void {
    if (ruleSeverity(config, 'label-variant', 'warning') === undefined || this.labelNames.length < 2) return;
    const counts = new Array<number>(this.labelNames.length).fill(0);
    for (let i = 0; i < this.usable.length; i++) if (this.usable[i] && this.label[i] >= 0) counts[this.label[i]]++;
    const variants = labelVariants(this.labelNames, counts, config.thresholds.labelVariantMaxEdits);
    if (!variants.size) return;
    for (let i = 0; i < this.usable.length; i++) {
      if (!this.usable[i] || this.skip[i] || !variants.has(this.label[i])) continue;
      this.skip[i] = 1;
      this.skipRule.set(i, 'label-variant');
      this.skipped.set('label-variant', (this.skipped.get('label-variant') ?? 0) + 1);
    }
  }

  /**
   * The new rows, in the order they are written: by source row, then copy. `rowAt` gives a source
   * row by its index (read again from the file, or from memory); rows are asked for in file order.
   * Balancing first makes the planned variants once without keeping them, to learn which labels
   * fall short (see shortfallCalls), then makes them again as they are handed over.
   */
  *newRows(rowAt: (index: number) => SourceRow): Generator<AugmentedRow> {
    if (this.state !== 'planned') throw new Error('augment: the new rows are made once');
    this.state = 'making';
    this.generator.rowAt = rowAt;
    rowAt = this.sourceOf(rowAt);
    const extra = this.fillsShortfall ? this.shortfallCalls(rowAt) : undefined;
    this.generator.counting = true;
    for (let i = 0; i < this.copies.length; i++) {
      if (this.skip[i]) {
        // Listed with the rule, as a row that could not change is: a copy would repeat what it found.
        if (!this.sample || this.sample.has(i)) this.unchanged.push({ index: i, line: rowAt(i).line, reason: `not augmented: ${this.skipRule.get(i)} (a copy would repeat it)` });
        continue;
      }
      const planned = this.copies[i];
      const calls = planned + (extra ? extra[i] : 0);
      if (!calls || (this.sample && !this.sample.has(i))) continue;
      const row = rowAt(i);
      const a = this.generator.forRow(row, this.labelOf(i));
      for (let k = 1; k <= planned && a.live; k++) {
        const made = this.nextRow(a, k);
        if (made && this.notRejected(made)) yield this.counted(made);
      }
      if (planned) {
        if (a.made === 0 && a.reason) this.unchanged.push({ index: i, line: row.line, reason: a.reason });
        else if (a.made === 0 && a.dropped) this.unchanged.push({ index: i, line: row.line, reason: `every variant was dropped before writing (last: ${a.dropped})` });
        else if (a.made < planned) this.fewer++;
      }
      // Balancing's turns at making up a label's shortfall come after the row's planned variants.
      for (let k = planned + 1; k <= calls && a.live; k++) {
        const made = this.nextRow(a, k);
        if (made && this.notRejected(made)) yield this.counted(made);
      }
    }
    if (!this.sample && this.generator.targetsFound === 0 && this.copies.some((c) => c > 0)) this.noTargets = !this.anyClassRowVaries(rowAt);
    this.state = 'made';
  }

  /**
   * The texts back-translation and paraphrase rewrite: each chosen text of the rows this augmentation
   * varies (redacted where the row was), once each, in file order. The host has a model rewrite them
   * before newRows (see AugmentOptions.rewrites). `wholeFile`: those of every row, sample or not (a
   * preview's estimate of the write).
   */
  textsToRewrite(rowAt: (index: number) => SourceRow, wholeFile = false): string[] {
    const source = this.sourceOf(rowAt);
    const out = new Set<string>();
    for (let i = 0; i < this.copies.length; i++) {
      if (this.skip[i] || !this.copies[i] || (this.sample && !wholeFile && !this.sample.has(i))) continue;
      for (const t of this.generator.targetTextsOf(source(i))) out.add(t);
    }
    return [...out];
  }

  /** What was made, once newRows has been read to its end. */
  summary(): AugmentSummary {
    if (this.state !== 'made') throw new Error('augment: read the new rows (newRows) to the end before the summary');
    const warnings: string[] = [];
    const fewer = this.fewer;
    if (fewer) warnings.push(`${fewer} row${fewer === 1 ? '' : 's'} gave fewer different variants than asked (short or repetitive texts)`);
    warnings.push(...this.fillWarnings);
    if (this.noTargets) warnings.push(`No row has text in the chosen fields (${this.selectors.join(', ')})`);
    const unspaced = this.generator.unspacedRows;
    if (unspaced) warnings.push(`${unspaced} row${unspaced === 1 ? ' is' : 's are'} in Chinese, Japanese or Thai: no thesaurus for these languages ships with Tuneset, so synonym replacement and insertion leave their words alone; swap, deletion and sentence shuffle work on their segmented words`);
    const skipped = Object.fromEntries(this.skipped);
    const skippedRows = [...this.skipped.values()].reduce((a, b) => a + b, 0);
    if (skippedRows) warnings.push(`${skippedRows} source row${skippedRows === 1 ? '' : 's'} not augmented: a copy would repeat what the rules found (${Object.entries(skipped).map(([r, n]) => `${r} ${n}`).join(', ')})`);
    const redacted = Object.fromEntries(this.redacted);
    const redactedRows = [...this.redacted.values()].reduce((a, b) => a + b, 0);
    if (redactedRows) warnings.push(`${redactedRows} source row${redactedRows === 1 ? '' : 's'} redacted before augmenting (${Object.entries(redacted).map(([r, n]) => `${r} ${n}`).join(', ')}): the new rows carry tags such as [EMAIL]; the source rows are written as they are`);
    const droppedBy = new Map(this.generator.dropped);
    for (const [op, n] of this.rejected) droppedBy.set(`${op} rejected`, n);
    const dropped = Object.fromEntries([...droppedBy].sort((a, b) => b[1] - a[1]));
    const droppedRows = [...droppedBy.values()].reduce((a, b) => a + b, 0);
    if (droppedRows) warnings.push(`${droppedRows} new row${droppedRows === 1 ? '' : 's'} dropped before writing (${Object.entries(dropped).map(([r, n]) => `${r}: ${n}`).join('; ')})`);
    const copies = this.byOperation.get('cp') ?? 0;
    if (copies) warnings.push(`${copies} new row${copies === 1 ? ' is an exact copy' : 's are exact copies'} of ${copies === 1 ? 'its' : 'their'} source (oversampling by copy): \`tuneset check\` reports ${copies === 1 ? 'it as an exact duplicate' : 'them as exact duplicates'}, by design; augment a train split only, and never split this file again (a copy would land beside its source in val or test)`);
    const unchanged = this.unchanged.length;
    if (unchanged) warnings.push(`${unchanged} row${unchanged === 1 ? '' : 's'} could not be changed (listed with the reason)`);
    const leaks = this.leaks;
    if (leaks) warnings.push(`${leaks} new row${leaks === 1 ? '' : 's'} repeat${leaks === 1 ? 's' : ''} a held-out (val/test) row exactly or nearly and ${leaks === 1 ? 'is' : 'are'} left out`);
    const before = this.labelsBefore();
    const after: Record<string, number> = Object.fromEntries(this.labelNames.map((n, c) => [n, this.after[c]]));
    if (this.unlabeledAfter) after['(no label)'] = this.unlabeledAfter;
    return {
      options: this.options, format: this.format, fields: this.fields, unchanged: this.unchanged, excluded: this.excluded, kept: this.kept,
      labels: { before, after }, leaks, skipped, redacted, dropped, warnings, made: this.made, leakedRows: this.leakedRows,
      byOperation: Object.fromEntries(ALL_OPERATIONS.filter((op) => this.byOperation.has(op)).map((op) => [op, this.byOperation.get(op)!])),
    };
  }

  /**
   * Rows per label once every planned new row is made (a row that cannot be varied enough makes
   * fewer): what a preview shows without making them all. Known as soon as the plan is.
   */
  plannedLabels(): Record<string, number> {
    const counts = new Array<number>(this.labelNames.length).fill(0);
    let none = 0;
    const add = (i: number, k: number) => {
      if (this.label[i] >= 0) counts[this.label[i]] += k;
      else none += k;
    };
    for (const i of this.kept) add(i, 1);
    for (let i = 0; i < this.copies.length; i++) if (this.copies[i]) add(i, this.copies[i]);
    const out: Record<string, number> = Object.fromEntries(this.labelNames.map((n, c) => [n, counts[c]]));
    if (none) out['(no label)'] = none;
    return out;
  }

  /** Usable rows per label (and without one), labels in order of first appearance. */
  private labelsBefore(): Record<string, number> {
    const counts = new Array<number>(this.labelNames.length).fill(0);
    let none = 0;
    for (let i = 0; i < this.usable.length; i++) {
      if (!this.usable[i]) continue;
      if (this.label[i] >= 0) counts[this.label[i]]++;
      else none++;
    }
    const out: Record<string, number> = Object.fromEntries(this.labelNames.map((n, c) => [n, counts[c]]));
    if (none) out['(no label)'] = none;
    return out;
  }

  private labelOf(i: number): string | undefined {
    return this.label[i] < 0 ? undefined : this.labelNames[this.label[i]];
  }

  /** Variant `copy` of a row, or undefined when it is spent (see RowAugmenter.next). */
  private nextRow(a: RowAugmenter, copy: number): AugmentedRow | undefined {
    return a.next(copy, this.scratch) ? this.scratch.pop() : undefined;
  }

  /** False for a row of a rejected operation, which is tallied and left out (the other rows stay as previewed). */
  private notRejected(row: AugmentedRow): boolean {
    if (!this.reject.has(row.operation)) return true;
    this.rejected.set(row.operation, (this.rejected.get(row.operation) ?? 0) + 1);
    return false;
  }

  /** Tallies a new row on its way out. */
  private counted(row: AugmentedRow): AugmentedRow {
    if (this.redactedValues.has(row.sourceIndex)) this.addRedactions(row);
    this.made++;
    if (row.leak) {
      this.leaks++;
      if (this.leakedRows.length < LEAKS_LISTED) this.leakedRows.push(row);
    } else {
      this.countAfter(row.sourceIndex);
      this.byOperation.set(row.operation, (this.byOperation.get(row.operation) ?? 0) + 1);
    }
    return row;
  }

  private countAfter(sourceIndex: number): void {
    const id = this.label[sourceIndex];
    if (id >= 0) this.after[id]++;
    else this.unlabeledAfter++;
  }

  /**
   * Balancing: a row that runs out of variants before its planned count leaves its label short, and
   * the label's other rows take turns making up for it, in the plan's seeded order. The planned
   * variants are made once here and only counted, to learn which labels fall short; the result is
   * how many more variants each row is asked for. Also notes the labels that stay short.
   */
  private shortfallCalls(rowAt: (index: number) => SourceRow): Int32Array {
    const n = this.copies.length;
    const madePerLabel = new Array<number>(this.labelNames.length).fill(0);
    // Rows that ran out of variants before their planned count.
    const spent = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (!this.copies[i]) continue;
      const a = this.generator.forRow(rowAt(i), this.labelOf(i));
      for (let k = 1; k <= this.copies[i] && a.live; k++) {
        const made = this.nextRow(a, k);
        if (made && !made.leak) madePerLabel[this.label[i]]++;
      }
      if (!a.live) spent[i] = 1;
    }
    const extra = new Int32Array(n);
    const plan = this.plan!;
    plan.classes.forEach(({ rows, need }, c) => {
      let short = need - madePerLabel[c];
      if (short > 0) short = this.takeTurns(this.stillVarying(rows, spent, rowAt, c), short, rowAt, extra);
      if (short > 0) this.fillWarnings.push(`"${this.labelNames[c]}" reached ${plan.target - short} of ${plan.target} rows: its rows could not be varied enough`);
      const perRow = rows.length ? need / rows.length : 0;
      if (perRow > 20) this.fillWarnings.push(`"${this.labelNames[c]}": each row is augmented about ${Math.round(perRow)} times; the variants will be close to each other`);
    });
    return extra;
  }

  /** A label's rows (in the plan's order) that can still make a variant: planned rows not spent, and unplanned rows with text to vary. */
  private stillVarying(rows: number[], spent: Uint8Array, rowAt: (index: number) => SourceRow, c: number): number[] {
    const varies = new Set<number>();
    // Unplanned rows are looked at in file order, so a file is read forward.
    for (const r of rows.filter((r) => !this.copies[r]).sort((a, b) => a - b)) {
      if (this.generator.forRow(rowAt(r), this.labelNames[c]).live) varies.add(r);
    }
    return rows.filter((r) => (this.copies[r] ? !spent[r] : varies.has(r)));
  }

  /**
   * A label's turns at making up its shortfall: round after round each row still varying makes one
   * more variant, until the label is full or no row can vary; returns the shortfall left, and sets
   * each row's count of turns in `extra`. A turn either makes a variant or finds the row spent,
   * whatever the other rows do, so each row's turns are made on their own (one row's variants in
   * memory at a time) and the rounds replayed from what they gave. Rounds are guessed, and doubled
   * (the rows that needed more made again) until they suffice.
   */
  private takeTurns(live: number[], short: number, rowAt: (index: number) => SourceRow, extra: Int32Array): number {
    const runs = new Map<number, TurnRun>();
    for (let rounds = Math.ceil(short / Math.max(1, live.length)) + 1; ; rounds *= 2) {
      for (const r of live) {
        const run = runs.get(r);
        if (!run || (!run.spentAt && run.turns < rounds)) runs.set(r, this.turnRun(r, rounds, rowAt));
      }
      const left = replayTurns(live, short, runs, extra);
      if (left !== undefined) return left;
    }
  }

  /** Up to `rounds` turns of one row after its planned variants: where it was spent, and which turns made a held-out row's twin. */
  private turnRun(r: number, rounds: number, rowAt: (index: number) => SourceRow): TurnRun {
    const a = this.generator.forRow(rowAt(r), this.labelOf(r));
    for (let k = 1; k <= this.copies[r] && a.live; k++) this.nextRow(a, k);
    const run: TurnRun = { turns: 0, spentAt: 0, leaks: new Set() };
    for (let j = 1; j <= rounds; j++) {
      run.turns = j;
      const made = this.nextRow(a, this.copies[r] + j);
      if (!made) {
        run.spentAt = j;
        break;
      }
      if (made.leak) run.leaks.add(j);
    }
    return run;
  }

  /** Balancing's "no row has text" check looks at every labelled row, planned or not (rare: only when no planned row has text). */
  private anyClassRowVaries(rowAt: (index: number) => SourceRow): boolean {
    if (!this.fillsShortfall) return false;
    for (let i = 0; i < this.copies.length; i++) {
      if (this.usable[i] && this.label[i] >= 0 && this.generator.forRow(rowAt(i), this.labelOf(i)).live) return true;
    }
    return false;
  }
}

/** One row's turns at a label's shortfall: how many were made, the turn that found it spent (0: none yet), the turns whose variant leaked. */
interface TurnRun {
  turns: number;
  spentAt: number;
  leaks: Set<number>;
}

/**
 * Replays a label's rounds of turns from each row's run: the shortfall left, with each row's turns
 * in `extra`; undefined when some row's run is too short to tell (more rounds are needed).
 */
function replayTurns(live: number[], short: number, runs: Map<number, TurnRun>, extra: Int32Array): number | undefined {
  const turns = new Map<number, number>();
  let varying = live;
  for (let j = 1; short > 0 && varying.length; j++) {
    for (const r of varying) {
      if (short <= 0) break;
      const run = runs.get(r)!;
      if (j > run.turns) return undefined;
      turns.set(r, j);
      if (run.spentAt !== j && !run.leaks.has(j)) short--;
    }
    varying = varying.filter((r) => {
      const spentAt = runs.get(r)!.spentAt;
      return !(spentAt && spentAt <= (turns.get(r) ?? 0));
    });
  }
  for (const [r, t] of turns) extra[r] = t;
  return short;
}

/** The string leaves that differ between a value and its redacted copy (same shape). */
function changedStrings(a: unknown, b: unknown, path: (string | number)[]): { path: (string | number)[]; before: string; after: string }[] {
  if (typeof a === 'string') return typeof b === 'string' && a !== b ? [{ path, before: a, after: b }] : [];
  if (Array.isArray(a) && Array.isArray(b)) return a.flatMap((x, i) => changedStrings(x, b[i], [...path, i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    return Object.keys(a).flatMap((k) => changedStrings((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, k]));
  }
  return [];
}

/** Rules whose findings a redaction removes. */
function isPrivacyRule(rule: string): boolean {
  return rule === 'secret' || rule.startsWith('pii-');
}

function indexesWhere(flags: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(i);
  return out;
}
