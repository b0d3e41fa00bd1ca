import type { Detection } from '../analysis/detection';
import type { AppliedAugmentOptions, AugmentedPart, AugmentedRow } from './types';
import type { SourceRow } from '../read';
import { extractRow } from '../schema/extract';
import { mixSeed, seededRandom, shuffle } from '../seededRandom';
import type { HeldOutIndex, HeldOutMatch } from './heldOut';
import { ALL_OPERATIONS, OPERATIONS, type AugmentOperation, type SynonymProvider } from './operations';
import { prepareText, WordKnowledge, type PreparedText } from './preparedText';
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
export class CopyGenerator {
  targetsFound = 0;
  readonly knowledge: WordKnowledge;

  constructor(
    readonly applied: AppliedAugmentOptions,
    synonyms: SynonymProvider,
    stopwords: ReadonlySet<string>,
    readonly detection: Detection,
    readonly heldOut: HeldOutIndex,
  ) {
    this.knowledge = new WordKnowledge(synonyms, stopwords);
  }

  forRow(row: SourceRow, label: string | undefined): RowAugmenter {
    const value = row.value as Record<string, unknown>;
    const content = extractRow(value, this.detection.format, this.detection.fields);
    const targets = targetTexts(value, content, this.applied.fields);
    if (targets.length) this.targetsFound++;
    return new RowAugmenter(this, row, value, targets, label);
  }

  /** The held-out row a new row's texts would repeat, exactly or nearly, if any. */
  leakOf(value: Record<string, unknown>, parts: AugmentedPart[]): HeldOutMatch | undefined {
    if (!this.heldOut.size) return undefined;
    let next: unknown = value;
    for (const p of parts) next = withValueAt(next, p.path, p.text);
    const key = extractRow(next as Record<string, unknown>, this.detection.format, this.detection.fields).key;
    return key.trim() === '' ? undefined : this.heldOut.find(key);
  }
}

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
  private readonly seen = new Set<string>();
  private prepared: PreparedText[] | undefined;

  constructor(private readonly g: CopyGenerator, private readonly row: SourceRow, private readonly value: Record<string, unknown>, private readonly targets: TargetText[], private readonly label: string | undefined) {
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
    const prepared = (this.prepared ??= this.targets.map((t) => prepareText(t.text, knowledge)));
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const random = seededRandom(mixSeed(applied.seed, this.row.index, copy, attempt));
      const reasons: string[] = [];
      for (const op of shuffle(applied.operations.slice(), random)) {
        const ctx = { random, alpha: applied.alpha[op] };
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
        const id = identity(texts);
        // A repeat of the source or of an earlier variant: try the next operation, then the next attempt's stream.
        if (this.seen.has(id)) continue;
        this.seen.add(id);
        const row: AugmentedRow = { sourceIndex: this.row.index, sourceLine: this.row.line, copy, operation: op, parts };
        if (this.label !== undefined) row.label = this.label;
        const leak = this.g.leakOf(this.value, parts);
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
