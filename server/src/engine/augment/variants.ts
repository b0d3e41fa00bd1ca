import type { Detection } from '../analysis/detection';
import type { AppliedAugmentOptions, AugmentedPart, AugmentedRow } from './types';
import type { SourceRow } from '../read';
import { extractRow } from '../schema/extract';
import { mixSeed, seededRandom, shuffle } from '../seededRandom';
import type { HeldOutIndex, HeldOutMatch } from './heldOut';
import { ALL_OPERATIONS, OPERATIONS, type AugmentOperation, type Rewrites, type SynonymProvider } from './operations';
import { prepareText, WordKnowledge, type KeptWords, type PreparedText, type Tagger } from './preparedText';
import type { RowChecks } from './rowChecks';
import type { FileIndex } from './fileIndex';
import { hasUnspacedScript, splitWords } from './words';
import { targetTexts, withValueAt, type TargetText } from './targetFields';

/**
 * Making the variants of source rows. Each variant is drawn from a stream seeded by (seed, row,
 * copy, attempt), so it does not depend on any other row; a row remembers its variants so none
 * repeats the source or another.
 */

/** Attempts per new row when a draw repeats the source or an earlier variant. */
const ATTEMPTS = 6;

/**
 * The most variants one source row gives (as many as --n may ask for): a row remembers its variants
 * while it is augmented, so this bounds that memory whatever a balancing target asks.
 */
export const MAX_VARIANTS_PER_ROW = 1000;

/** Makes new rows from source rows; shared settings live here, per-row state in RowAugmenter. */
/** What checks a new row before it is handed over (see Augmentation): the file's own rows and its row rules. */
export interface NewRowChecks {
  /** The file's rows: a new row repeating one (its own source aside) is dropped. */
  fileRows?: FileIndex;
  rules?: RowChecks;
  /** Words the label depends on, for a label. */
  labelWords?: (label: string) => ((lower: string) => boolean) | undefined;
  /** The rules with a finding in a source row ('' for none, else sorted and joined by spaces): a new row may have no other. */
  sourceRules?: (index: number) => string;
  /** Why a new row's text (its key) reads as another label than its source's, or undefined (see LabelFlips). */
  labelFlip?: (key: string, sourceIndex: number, sourceKey: () => string) => string | undefined;
}

export class CopyGenerator {
  targetsFound = 0;
  readonly knowledge: WordKnowledge;
  /** New rows dropped by reason, tallied while `counting` (balancing makes some variants twice). */
  readonly dropped = new Map<string, number>();
  counting = false;
  /** Source rows in Chinese, Japanese or Thai met while counting, when sr or ri was asked for: no thesaurus covers them. */
  unspacedRows = 0;
  private readonly thesaurusAsked: boolean;

  constructor(
    readonly applied: AppliedAugmentOptions,
    synonyms: SynonymProvider,
    stopwords: ReadonlySet<string>,
    readonly detection: Detection,
    readonly heldOut: HeldOutIndex,
    readonly checks: NewRowChecks = {},
    tagger?: Tagger,
    readonly rewrites?: Rewrites,
  ) {
    this.knowledge = new WordKnowledge(synonyms, stopwords, tagger);
    this.thesaurusAsked = applied.operations.includes('sr') || applied.operations.includes('ri');
  }

  forRow(row: SourceRow, label: string | undefined): RowAugmenter {
    const value = row.value as Record<string, unknown>;
    const content = extractRow(value, this.detection.format, this.detection.fields);
    const targets = targetTexts(value, content, this.applied.fields);
    if (targets.length) this.targetsFound++;
    if (this.counting && this.thesaurusAsked && targets.some((t) => hasUnspacedScript(t.text))) this.unspacedRows++;
    // The other side of the row (an answer, the other turns): its words stay where they are in the prompt.
    const targeted = new Set(targets.map((t) => t.path.join('\u0001')));
    let answer: Set<string> | undefined;
    for (const part of content.parts) {
      if (targeted.has(part.path.join('\u0001'))) continue;
      // Stopwords too: "the sky is blue" said back in the answer must not become "sky the is blue".
      for (const w of splitWords(part.text).words) (answer ??= new Set()).add(w.toLowerCase());
    }
    const kept: KeptWords = {};
    if (answer) kept.answer = answer;
    const labelWords = label === undefined ? undefined : this.checks.labelWords?.(label);
    if (labelWords) kept.label = labelWords;
    return new RowAugmenter(this, row, value, targets, label, kept);
  }

  /** The texts of a row this augmentation changes. */
  targetTextsOf(row: SourceRow): string[] {
    const value = row.value as Record<string, unknown>;
    return targetTexts(value, extractRow(value, this.detection.format, this.detection.fields), this.applied.fields).map((t) => t.text);
  }

  /** The new row's value: the source's with the changed texts in place. */
  valueOf(value: Record<string, unknown>, parts: AugmentedPart[]): Record<string, unknown> {
    let next: unknown = value;
    for (const p of parts) next = withValueAt(next, p.path, p.text);
    return next as Record<string, unknown>;
  }

  /** The held-out row a new row's texts would repeat, exactly or nearly, if any. */
  leakOf(next: Record<string, unknown>): HeldOutMatch | undefined {
    if (!this.heldOut.size) return undefined;
    const key = extractRow(next, this.detection.format, this.detection.fields).key;
    return key.trim() === '' ? undefined : this.heldOut.find(key);
  }

  /** Why a new row is not written, or undefined: it repeats another row of the file, or a row rule finds a problem in it. */
  dropReason(next: Record<string, unknown>, source: SourceRow, op: AugmentOperation): string | undefined {
    const { fileRows, rules } = this.checks;
    if (!rules) return undefined;
    const verdict = rules.checkValue(next, source.index, source.line);
    if (verdict.found) {
      // Any finding its source lacks: the new row would add to what check reports ("好" from "好评" too short).
      const had = this.checks.sourceRules?.(source.index) ?? '';
      const theirs = had ? new Set(had.split(' ')) : undefined;
      for (const rule of verdict.found.split(' ')) if (!theirs?.has(rule)) return `${rule} (a finding its source row lacks)`;
    }
    if (verdict.rule) return `${verdict.rule} (found by the row rules)`;
    const key = extractRow(next, this.detection.format, this.detection.fields).key;
    // Swaps and shuffles keep every word (the model reads words): only operations that change words are asked about.
    const flip = REORDERS.has(op) ? undefined : this.checks.labelFlip?.(key, source.index, () => this.keyOf(source.index) ?? '');
    if (flip) return flip;
    if (!fileRows) return undefined;
    return fileRows.repeat(key, verdict.bands, fileRows.hashOf(source.index), (i) => this.keyOf(i));
  }

  /** Reads a source row again by its index (set by the augmentation before it makes rows). */
  rowAt: ((index: number) => SourceRow) | undefined;

  private keyOf(index: number): string | undefined {
    const row = this.rowAt?.(index);
    if (!row || typeof row.value !== 'object' || row.value === null || Array.isArray(row.value)) return undefined;
    return extractRow(row.value as Record<string, unknown>, this.detection.format, this.detection.fields).key;
  }

  drop(reason: string): void {
    if (this.counting) this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }
}

/** Operations that move words without changing them. */
const REORDERS: ReadonlySet<AugmentOperation> = new Set(['rs', 'ss']);

/**
 * The identity of a row's texts for spotting repeats. Lower-casing is enough normalisation here: no
 * operation changes only spacing, and a Set of strings hashes natively, far faster than in JS.
 */
const identity = (texts: string[]) => texts.join('\u0001').toLowerCase();

/** One source row's variants: it remembers what it made so no variant repeats the source or another. */
export class RowAugmenter {
  made = 0;
  tried = 0;
  live = true;
  reason: string | undefined;
  /** Why this row's last dropped variant was dropped (see CopyGenerator.dropReason). */
  dropped: string | undefined;
  private readonly seen = new Set<string>();
  private prepared: PreparedText[] | undefined;

  constructor(
    private readonly g: CopyGenerator, private readonly row: SourceRow, private readonly value: Record<string, unknown>, private readonly targets: TargetText[],
    private readonly label: string | undefined, private readonly kept: KeptWords,
  ) {
    this.seen.add(identity(targets.map((t) => t.text)));
    if (!targets.length) {
      this.live = false;
      this.reason = `no text in the chosen fields (${g.applied.fields.join(', ')})`;
    }
  }

  /** Tries to make variant `copy`; appends it to `out` and returns true when it is new. False leaves the row spent (`live` false). */
  next(copy: number, out: AugmentedRow[]): boolean {
    this.tried = Math.max(this.tried, copy);
    if (copy > MAX_VARIANTS_PER_ROW) {
      this.live = false;
      return false;
    }
    const { applied, knowledge } = this.g;
    const prepared = (this.prepared ??= this.targets.map((t) => prepareText(t.text, knowledge, this.kept)));
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const random = seededRandom(mixSeed(applied.seed, this.row.index, copy, attempt));
      const reasons: string[] = [];
      for (const op of shuffle(applied.operations.slice(), random)) {
        const ctx = { random, alpha: applied.alpha[op], rewrites: this.g.rewrites };
        const parts: AugmentedPart[] = [];
        const texts: string[] = [];
        prepared.forEach((p, k) => {
          const t = this.targets[k];
          const r = OPERATIONS[op](p, ctx);
          if ('reason' in r) {
            if (attempt === 0) reasons.push(`${op}: ${r.reason}`);
            texts.push(t.text);
          } else {
            parts.push({ field: t.field, path: t.path, original: t.text, ...r });
            texts.push(r.text);
          }
        });
        if (!parts.length) continue;
        // A copy repeats its source by design (oversampling); any other repeat of the source or of an earlier variant: the next operation, then the next attempt's stream.
        const copying = op === 'cp';
        if (!copying) {
          const id = identity(texts);
          if (this.seen.has(id)) continue;
          this.seen.add(id);
        }
        const next = this.g.valueOf(this.value, parts);
        const dropped = copying ? undefined : this.g.dropReason(next, this.row, op);
        if (dropped) {
          this.dropped = dropped;
          this.g.drop(dropped);
          continue;
        }
        const row: AugmentedRow = { sourceIndex: this.row.index, sourceLine: this.row.line, copy, operation: op, parts };
        if (this.label !== undefined) row.label = this.label;
        const leak = this.g.leakOf(next);
        if (leak) row.leak = leak;
        out.push(row);
        this.made++;
        return true;
      }
      if (attempt === 0 && !this.made && reasons.length === applied.operations.length * this.targets.length) {
        this.live = false;
        // Listed in the usual sr, ri, rs, rd, ss order, whatever order this attempt drew them in.
        this.reason = [...new Set(reasons)].sort((a, b) => ALL_OPERATIONS.indexOf(a.slice(0, 2) as AugmentOperation) - ALL_OPERATIONS.indexOf(b.slice(0, 2) as AugmentOperation)).join('; ');
        return false;
      }
    }
    this.live = false;
    return false;
  }
}
