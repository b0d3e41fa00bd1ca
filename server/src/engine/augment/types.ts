import type { Detection } from '../analysis/detection';
import type { SourceRow } from '../read';
import type { JsonPath } from '../read/jsonScan';
import type { FieldMap } from '../schema/formats';
import type { ExcludedRow } from '../schema/usableRows';
import type { FormatName } from '../types';
import type { BalanceOptions } from './balance';
import type { AugmentOperation, ChangedText, Rewrites, SynonymProvider } from './operations';
import type { Tagger } from './preparedText';
import type { Config } from '../config';

/** The shapes an augmentation is asked for and gives back (augment.ts makes them; variants and rendering read them). */

/** What the user chose for an augmentation; everything is optional and defaulted. */
export interface AugmentOptions {
  /** Operations to draw from for each new row (default EDA's five: sr, ri, rs, rd, ss). */
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
  /** A model's rewrites of the texts (back-translation, paraphrase), fetched by the host before augmenting; needed for bt and pp. */
  rewrites?: Rewrites;
  /** Part-of-speech tagger, injected by the host (natural's Brill tagger): synonyms then come from the word's part of speech only, and names stay. */
  tagger?: Tagger;
  /** Words that carry sentiment (a lexicon the host passes): never replaced or deleted in a labelled row. */
  polarWords?: ReadonlySet<string>;
  /**
   * Run Tuneset's row rules on every source row (one with an error, a credential, personal data or
   * mojibake is not augmented) and every new row (dropped when it has one, or when it repeats another
   * row of the file exactly or nearly). Default true.
   */
  checkRows?: boolean;
  /**
   * Redact a source row's credentials and personal data ([EMAIL], [CARD], [SECRET]… as the quick
   * fixes do) and augment the redacted text, instead of leaving the row out (default false). The
   * source row itself is written as it is.
   */
  redact?: boolean;
  /**
   * Drop a new row of a classification file that the label model (naive Bayes on the file's rows)
   * confidently reads as another label than its source's, when it reads the source right (default
   * true, with checkRows). Counted in `dropped`.
   */
  labelFlips?: boolean;
  /** Severities and thresholds for those checks (default: the defaults). */
  config?: Config;
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
  /** Operations whose new rows are made (the seeded draws stay as they are) but not written: rejected after a preview. Counted in `dropped`. */
  reject?: readonly AugmentOperation[];
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
  /** Source rows not augmented because a rule found a problem a copy would repeat, by rule. */
  skipped: Record<string, number>;
  /** Source rows redacted before they were augmented (with `redact`), by the rule that found them. */
  redacted: Record<string, number>;
  /** New rows written, by the operation that made them. */
  byOperation: Partial<Record<AugmentOperation, number>>;
  /** New rows made and dropped before writing, by reason ("exact duplicate", "near duplicate", or a rule). */
  dropped: Record<string, number>;
  warnings: string[];
}
